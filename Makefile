# Two commands do everything on a fresh machine:
#   make demo   install, ingest the bundled specs, serve Dagster (:3000) and Streamlit (:8501)
#   make test   install (Python + Debian packages), start PostgreSQL, run the whole test suite
# The fast loop while editing:
#   make unit   the tests that need no server (no PostgreSQL, Chromium or local HTTP server)
#   make check  ruff (lint + format), mypy, `dg check defs`
#   make dev    the Dagster UI and daemon alone on the code location, no ingest
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export AGENTOPS_HOME ?= $(CURDIR)/.agentops
export DAGSTER_HOME ?= $(AGENTOPS_HOME)/dagster

.PHONY: install system manifest demo test e2e lint imports fuzz clean ambiguity-model sbom release \
	unit check format dev asset-graph-snapshot

# Exactly the pins of uv.lock (--locked fails when pyproject.toml and uv.lock disagree: run
# `uv lock` and commit both). --inexact keeps what scripts/install_local_llm.sh added.
$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --quiet --locked --inexact --extra dev
	touch $@

install: $(VENV)/.installed

# The dbt manifest, parsed here once (seconds) so no process parses it when it loads the code
# location; re-parsed only when a model, macro or dbt_project.yml is newer.
manifest: install
	$(PY) -m agentops_pipelines.warehouse.manifest

system:
	bash scripts/install_system.sh

demo: install manifest
	bash scripts/demo.sh

test: install system manifest
	bash scripts/test.sh

# Retrain the learned ambiguity layer from the shared ARTA sets (DS1 dev, DS2, DS4) into the
# package; commit the JSON it writes. Several minutes on a loaded machine (inner CV per smell).
SHARED_DATA ?= $(CURDIR)/../shared/data
ambiguity-model: install
	$(PY) -m agentops_pipelines.assistant.smell_training \
		--data $(SHARED_DATA)/requirements_quality \
		--out agentops_pipelines/assistant/models/ambiguity_model.json

# Longer property-based runs of the hostile-input tests (CI runs them with 60 examples each).
fuzz: install
	AGENTOPS_FUZZ_EXAMPLES=$${AGENTOPS_FUZZ_EXAMPLES:-3000} $(VENV)/bin/pytest -q -p no:cacheprovider tests/fuzz

# The multi-process deployment test (PostgreSQL, Redis, code server, daemon, 2 Celery workers).
e2e: install system
	AGENTOPS_TEST_PG_URL="$$(bash scripts/postgres.sh start)" $(VENV)/bin/pytest -q -p no:cacheprovider -m e2e tests/deploy; \
	rc=$$?; bash scripts/postgres.sh stop; exit $$rc

PY_TREES := agentops_pipelines streamlit_app tests benchmarks
# `ruff format --check` is part of `make check` and `make test` once the tree is formatted:
# FORMAT_CHECK=0 skips it.
FORMAT_CHECK ?= 1
export FORMAT_CHECK

lint: install imports
	$(VENV)/bin/ruff check $(PY_TREES)

format: install
	$(VENV)/bin/ruff format $(PY_TREES)

check: install manifest imports
	$(VENV)/bin/ruff check $(PY_TREES)
	if [ "$(FORMAT_CHECK)" = "1" ]; then $(VENV)/bin/ruff format --check $(PY_TREES); fi
	$(VENV)/bin/mypy
	$(VENV)/bin/dg check defs

# No PostgreSQL, Redis, Chromium or local HTTP server, no dbt build (tests/support/
# unit_selection.py marks those `server` / `heavy`; under AGENTOPS_UNIT=1 a selected test that
# listens on TCP fails). UNIT_WORKERS=0 runs serially.
UNIT_WORKERS ?= auto
unit: install manifest
	AGENTOPS_UNIT=1 $(VENV)/bin/pytest -q -p no:cacheprovider -m "not server and not heavy" \
		$$([ "$(UNIT_WORKERS)" = "0" ] || echo "-n $(UNIT_WORKERS) --dist loadscope") tests

# The Dagster UI and daemon on the code location (http://127.0.0.1:3000), no ingest, no
# Streamlit or API (those are `make demo`): edit, then "Reload definitions" in the UI.
dev: install manifest
	mkdir -p "$$DAGSTER_HOME"
	$(VENV)/bin/dagster dev -m agentops_pipelines.definitions -h 127.0.0.1 -p $${AGENTOPS_DAGSTER_PORT:-3000}

# Rewrite tests/snapshots/asset_graph.json after a deliberate change of the asset graph
# (review the diff, commit it with the change).
asset-graph-snapshot: install
	$(VENV)/bin/python -m tests.support.asset_graph --write

# The layering contracts of [tool.importlinter] in pyproject.toml (2.5 to 8 s at load 14 to 24);
# also run by make test.
imports: install
	$(VENV)/bin/lint-imports

# CycloneDX SBOM of the runtime pins in uv.lock -> dist/agentops-<version>.cdx.json
sbom: install
	bash scripts/release.sh sbom

# Wheel, SBOM and the two image build contexts under dist/ (see deploy/README.md)
release: install
	bash scripts/release.sh sbom wheel contexts

clean:
	rm -rf $(VENV) .agentops dist
