#!/usr/bin/env bash
# Serve the Dagster UI, Streamlit and the API first; the Dagster daemon then ingests the bundled
# specs in the background (spec_source_sensor, one spec_pipeline_job run per spec, visible in the
# UI as they happen) while this terminal prints one line per finished spec. KPIs follow, logged
# to a file.
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
API_PORT="${AGENTOPS_API_PORT:-8000}"
LOG_DIR="$AGENTOPS_HOME/logs"
mkdir -p "$LOG_DIR"
# The instance config (run queue, run monitoring, run retries) the daemon reads.
.venv/bin/python -c "from agentops_pipelines.cli.ingest import ensure_instance_config as e; from pathlib import Path; e(Path('$DAGSTER_HOME'))"
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
# A loaded machine answers the code server's gRPC calls slowly; Dagster's 60 s default then
# fails runs while they are dequeued ("User code server request timed out"), seen at load 25-35.
export DAGSTER_GRPC_TIMEOUT_SECONDS="${DAGSTER_GRPC_TIMEOUT_SECONDS:-180}"
# The Git flow offline: each sample code repo gets a local bare remote and a Git link, so
# proposals, approval and their status can be tried without GitHub (a push needs a host token).
export AGENTOPS_GIT_ALLOW_LOCAL_REMOTES="${AGENTOPS_GIT_ALLOW_LOCAL_REMOTES:-on}"
.venv/bin/python -m agentops_pipelines.gitops.demo_remotes
if [ -z "${AGENTOPS_GITHUB_TOKEN:-}" ]; then
  echo "Git: proposals are made and can be approved; pushing waits for a token (AGENTOPS_GITHUB_TOKEN)"
fi
# Each server runs in its own process group so stopping the demo stops their children too.
setsid .venv/bin/dagster dev -m agentops_pipelines.definitions -h "$HOST" -p 3000 &
DAGSTER_PID=$!
setsid .venv/bin/streamlit run streamlit_app/app.py --server.headless true \
  --server.address "$HOST" --server.port 8501 --browser.gatherUsageStats false &
STREAMLIT_PID=$!
setsid .venv/bin/uvicorn --factory agentops_pipelines.api.app:create_app --host "$HOST" \
  --port "$API_PORT" >"$LOG_DIR/api.log" 2>&1 &
API_PID=$!
stop_servers() {
  # TERM first (dagster dev shuts its daemon and webserver down), KILL what is left after 15 s.
  local groups=(-$DAGSTER_PID -$STREAMLIT_PID -$API_PID ${LLM_PID:+-$LLM_PID})
  kill -TERM -- "${groups[@]}" 2>/dev/null || true
  for _ in $(seq 15); do
    kill -0 -- "${groups[@]}" 2>/dev/null || return 0
    sleep 1
  done
  kill -KILL -- "${groups[@]}" 2>/dev/null || true
}
trap stop_servers EXIT INT TERM
echo "Dagster UI: http://$HOST:3000   Streamlit: http://$HOST:8501   API: http://$HOST:$API_PORT/docs   (Ctrl-C stops all)"
# Ingest through the instance: the daemon's sensor launches the runs; this prints their progress.
if .venv/bin/python -m agentops_pipelines.cli.demo_progress --ui-url "http://$HOST:3000"; then
  # KPI warehouse from the runs just made: extract the day, dbt build, weekly report.
  if .venv/bin/agentops kpi --report >"$LOG_DIR/kpi.log" 2>&1; then
    echo "KPI report ready (log: $LOG_DIR/kpi.log)"
  else
    echo "KPI refresh failed: see $LOG_DIR/kpi.log"
  fi
else
  echo "some specs are not done: open http://$HOST:3000/runs"
fi
wait
