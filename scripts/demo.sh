#!/usr/bin/env bash
# Ingest the bundled specs through Dagster, then serve the Dagster UI and the Streamlit app.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p "$DAGSTER_HOME"
HOST="${AGENTOPS_DEMO_HOST:-127.0.0.1}"
.venv/bin/agentops ingest "${AGENTOPS_SPECS_PATH:-examples/specs}" || echo "some specs failed: see the table above"
# Each server runs in its own process group so stopping the demo stops their children too.
setsid .venv/bin/dagster dev -m agentops_pipelines.definitions -h "$HOST" -p 3000 &
DAGSTER_PID=$!
setsid .venv/bin/streamlit run streamlit_app/app.py --server.headless true \
  --server.address "$HOST" --server.port 8501 --browser.gatherUsageStats false &
STREAMLIT_PID=$!
trap 'kill -- -$DAGSTER_PID -$STREAMLIT_PID 2>/dev/null || true' EXIT INT TERM
echo "Dagster UI: http://$HOST:3000   Streamlit: http://$HOST:8501   (Ctrl-C stops both)"
wait
