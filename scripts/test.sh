#!/usr/bin/env bash
# The whole suite: start the servers tests need, lint, then pytest. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export AGENTOPS_TEST_PG_URL="$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop' EXIT
echo "PostgreSQL for instance tests: ${AGENTOPS_TEST_PG_URL}"
.venv/bin/ruff check agentops_pipelines streamlit_app tests benchmarks
.venv/bin/mypy
.venv/bin/pytest -q -p no:cacheprovider "$@"
