# criteo-catalog-sdk: every task of the project. Only python3.11+ and make are needed beforehand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
GEN_VENV := .tools/generator
INSTALLED := $(VENV)/.installed
GEN_INSTALLED := $(GEN_VENV)/.installed
# update-spec: Criteo's whole document of a generation (by default preview's, or GENERATION's);
# GENERATION= when the document does not say which one it is; DERIVE_FROM= the generation whose
# overlay a new generation's derives from (default: the newest one).
GENERATION ?=
DERIVE_FROM ?=
SOURCE ?= https://api.criteo.com/$(or $(GENERATION),preview)/marketingsolutions/open-api-specifications.json
PYTEST_ARGS ?=

.PHONY: install spec generate check-generated update-spec lint test contract-test contract-test-live demo bench reliability clean

install: $(INSTALLED) $(GEN_INSTALLED)

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "python3.11+ is required (set PYTHON=...)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

# The code generator lives in its own environment: its pins (httpx<0.29, typer<0.28) must not
# constrain the package's, and its exact versions make the generated code reproducible.
$(GEN_INSTALLED): tools/generator-requirements.txt
	@test -x $(GEN_VENV)/bin/python || $(PYTHON) -m venv $(GEN_VENV)
	$(GEN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tools/generator-requirements.txt
	@touch $@

# One folder per Criteo API generation: openapi/<generation>/{published,overlay,catalog}.yaml.
spec: $(INSTALLED)
	@for dir in openapi/*/; do \
	  [ -f "$$dir/published.yaml" ] || continue; \
	  echo "$(PY) -m spec_tools apply ($$dir)"; \
	  $(PY) -m spec_tools apply --spec "$$dir/published.yaml" --overlay "$$dir/overlay.yaml" --out "$$dir/catalog.yaml" || exit 1; \
	done

generate: spec $(GEN_INSTALLED)
	tools/generate.sh openapi criteo_catalog_sdk/_generated

check-generated: $(INSTALLED) $(GEN_INSTALLED)
	tools/check-generated.sh

# make update-spec SOURCE=<url or path of Criteo's whole MarketingSolutions document> [GENERATION=...]
# Adds or refreshes that one generation (openapi/<generation>/ and its generated package), prints the
# semantic diff, and fails when the result cannot work (see spec_tools/update.py for the exit codes).
update-spec: $(INSTALLED) $(GEN_INSTALLED)
	$(PY) -m spec_tools update '$(SOURCE)' $(if $(GENERATION),--generation '$(GENERATION)') $(if $(DERIVE_FROM),--derive-from '$(DERIVE_FROM)')

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# JUnit XML under reports/ for CI dashboards (the schemathesis runs add their own there).
test: install
	$(PY) -m pytest --junitxml=reports/junit.xml $(PYTEST_ARGS)

contract-test: install
	$(PY) -m pytest contract_tests --junitxml=reports/contract-junit.xml $(PYTEST_ARGS)

# Against Criteo (or any server): CRITEO_API_URL, CRITEO_CLIENT_ID, CRITEO_CLIENT_SECRET,
# CRITEO_TEST_MERCHANT_ID, CRITEO_CONTRACT_ALLOW_WRITES=1. Skips (exit 0) without credentials.
contract-test-live: $(INSTALLED)
	$(PY) -m contract_tests.live

demo: install
	$(PY) examples/demo.py

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

reliability: install
	CRITEO_RELIABILITY=full $(PY) -m pytest tests/reliability -m reliability -s $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache reports
