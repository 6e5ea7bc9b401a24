# Gateway benchmark and docs assets (included by the root Makefile).

bench-gateway: $(STAMP) ## benchmark the gateway against direct and nginx (installs nginx, wrk)
	$(PY) -m bench.gateway

bench-catalog: $(STAMP) ## time every product listing on 100k products (database and HTTP)
	$(PY) -m bench.catalog

bench-orders: $(STAMP) ## order placement vs the one-process limit (QUICK=1: one short round)
	$(PY) -m bench.orders $(if $(QUICK),--quick,)

gateway-assets: ## refresh the pinned Swagger UI / ReDoc files the gateway serves (npm pack)
	gateway/scripts/refresh-docs-assets.sh

.PHONY: bench-gateway bench-catalog bench-orders gateway-assets
