# Two commands do everything on a fresh machine:
#   make demo   install, ingest the bundled specs, serve Dagster (:3000) and Streamlit (:8501)
#   make test   install (Python + Debian packages), start PostgreSQL, run the whole test suite
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export AGENTOPS_HOME ?= $(CURDIR)/.agentops
export DAGSTER_HOME ?= $(AGENTOPS_HOME)/dagster

.PHONY: install system manifest demo test lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e '.[dev]'
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

lint: install
	$(VENV)/bin/ruff check agentops_pipelines streamlit_app tests benchmarks

clean:
	rm -rf $(VENV) .agentops
