# Emporium: `make run` starts everything locally, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PACKAGES := libs/servicekit libs/devstack services/auth services/catalog services/orders gateway \
	clients/python
PKG_SRC := $(foreach p,$(PACKAGES),$(p)/src)
PKG_TESTS := $(wildcard $(foreach p,$(PACKAGES),$(p)/tests))
STAMP := $(VENV)/.installed

help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-18s %s\n", $$1, $$2}'

$(STAMP): constraints.txt pyproject.toml $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "==> installing Emporium and its tools into $(VENV) (pinned by constraints.txt)"
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1" -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		$(foreach p,$(PACKAGES),-e $(p)) -e "libs/servicekit[testing]" --group dev
	@touch $@

install: $(STAMP) ## create .venv and install every package with the constraints

run: $(STAMP) ## start PostgreSQL, the three services and the gateway; Ctrl-C stops all
	@$(PY) -m emporium.devstack run

seed: $(STAMP) ## load the demo catalog (idempotent) into the running system's database
	@$(PY) -m emporium.devstack seed

migrate: $(STAMP) ## apply every service's migrations to the local database
	@$(PY) -m emporium.devstack migrate

test: $(STAMP) ## run every package's tests and the cross-service suite
	$(BIN)/pytest

test-integration: $(STAMP) ## run the cross-service suite (against EMPORIUM_BASE_URL when set)
	$(BIN)/pytest tests/integration

lint: $(STAMP) ## ruff check, ruff format --check, mypy strict, then the security scanners
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(PKG_SRC) $(PKG_TESTS) tests bench deploy clients/*.py
	@$(MAKE) --no-print-directory scan

fmt: $(STAMP) ## format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

client: $(STAMP) ## regenerate the typed Python client (clients/python) from the code's OpenAPI
	$(PY) -m clients.generate

docs: $(STAMP) ## print the merged OpenAPI of a running system (gateway on :8000)
	@$(PY) -c "import httpx, json; print(json.dumps(httpx.get('http://localhost:8000/openapi.json').json(), indent=2))"

clean: ## remove the virtualenvs and caches (keeps .data, the local database)
	rm -rf $(VENV) .venv-scan .scan .pytest_cache .mypy_cache .ruff_cache

.PHONY: help install run seed migrate test test-integration lint fmt client docs clean

-include mk/*.mk
