#!/usr/bin/env bash
# Ingest the bundled specs through Dagster, then serve the Dagster UI and the Streamlit app.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p "$DAGSTER_HOME"
HOST="${AGENTOPS_DEMO_HOST:-127.0.0.1}"
# Dev-only sign-in: the pages sign in a local admin by themselves (refused off loopback).
export AGENTOPS_DEV_ADMIN="${AGENTOPS_DEV_ADMIN:-local-admin}"
case "$HOST" in
  127.0.0.1|localhost|::1) echo "Sign-in: dev mode, the pages sign in '$AGENTOPS_DEV_ADMIN' as owner (local demo only)";;
  *) echo "Sign-in: $HOST is not loopback, so dev sign-in is off: configure [auth] in .streamlit/secrets.toml";;
esac
# Optional real local model (bash scripts/install_local_llm.sh): the first hop of every LLM route.
LLM_PID=""
if [ -z "${AGENTOPS_OPENAI_COMPAT_BASE_URL:-}" ] \
  && .venv/bin/python -c "import agentops_pipelines.llm.local_server as m, sys; sys.exit(not m.local_llm_available())" 2>/dev/null; then
  LLM_PORT="${AGENTOPS_LOCAL_LLM_PORT:-8090}"
  setsid .venv/bin/python -m agentops_pipelines.llm.local_server serve --port "$LLM_PORT" \
    >"$DAGSTER_HOME/local_llm.log" 2>&1 &
  LLM_PID=$!
  trap 'kill -- -$LLM_PID 2>/dev/null || true' EXIT INT TERM
  if .venv/bin/python -m agentops_pipelines.llm.local_server wait \
    --base-url "http://127.0.0.1:$LLM_PORT/v1"; then
    export AGENTOPS_OPENAI_COMPAT_BASE_URL="http://127.0.0.1:$LLM_PORT/v1"
    export AGENTOPS_OPENAI_COMPAT_MODEL=smollm2-135m-instruct
  else
    echo "local LLM did not start (see $DAGSTER_HOME/local_llm.log): using the offline provider"
  fi
else
  echo "LLM: ${AGENTOPS_OPENAI_COMPAT_BASE_URL:-offline provider (install the local model with scripts/install_local_llm.sh)}"
fi
.venv/bin/agentops ingest "${AGENTOPS_SPECS_PATH:-examples/specs}" || echo "some specs failed: see the table above"
# KPI warehouse from the runs just made: extract the day, dbt build, weekly report.
.venv/bin/agentops kpi --report || echo "KPI refresh failed: see above"
# Each server runs in its own process group so stopping the demo stops their children too.
setsid .venv/bin/dagster dev -m agentops_pipelines.definitions -h "$HOST" -p 3000 &
DAGSTER_PID=$!
setsid .venv/bin/streamlit run streamlit_app/app.py --server.headless true \
  --server.address "$HOST" --server.port 8501 --browser.gatherUsageStats false &
STREAMLIT_PID=$!
stop_servers() {
  # TERM first (dagster dev shuts its daemon and webserver down), KILL what is left after 15 s.
  local groups=(-$DAGSTER_PID -$STREAMLIT_PID ${LLM_PID:+-$LLM_PID})
  kill -TERM -- "${groups[@]}" 2>/dev/null || true
  for _ in $(seq 15); do
    kill -0 -- "${groups[@]}" 2>/dev/null || return 0
    sleep 1
  done
  kill -KILL -- "${groups[@]}" 2>/dev/null || true
}
trap stop_servers EXIT INT TERM
echo "Dagster UI: http://$HOST:3000   Streamlit: http://$HOST:8501   (Ctrl-C stops both)"
wait
