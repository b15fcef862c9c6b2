# syntax=docker/dockerfile:1
# The app image: one image, three commands (the default is the API).
#   API       uvicorn --factory agentops_pipelines.api.app:create_app --host 0.0.0.0 --port 8000
#   receiver  uvicorn --factory agentops_pipelines.api.receiver.standalone:app_from_env --port 8080
#   Streamlit streamlit run streamlit_app/app.py --server.port 8501 --server.headless true
# Set AGENTOPS_HEALTH_PORT / AGENTOPS_HEALTH_PATH for the receiver (8080, /openapi.json) and
# Streamlit (8501, /_stcore/health). Build from the repo root:
#   docker build -f deploy/Dockerfile.app -t agentops-app:0.1.0 .
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
# Dependencies first (a layer that changes only with the lockfile), then the project itself,
# installed in place: the code reads config/ beside its package.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY agentops_pipelines ./agentops_pipelines
COPY streamlit_app ./streamlit_app
COPY config ./config
COPY dbt_metrics ./dbt_metrics
RUN uv sync --frozen --no-dev

FROM ${PYTHON_IMAGE} AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 agentops \
    && useradd --uid 10001 --gid agentops --home-dir /home/agentops --create-home agentops \
    && mkdir -p /data && chown agentops:agentops /data
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
COPY deploy/healthcheck.py /app/healthcheck.py
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 AGENTOPS_HOME=/data \
    AGENTOPS_ARTEFACT_ROOT=/data/artefacts AGENTOPS_LOG_FORMAT=json \
    AGENTOPS_HEALTH_PORT=8000 AGENTOPS_HEALTH_PATH=/metrics
WORKDIR /app
USER 10001:10001
EXPOSE 8000 8080 8501
HEALTHCHECK --interval=15s --timeout=6s --start-period=60s --retries=3 \
    CMD ["python", "/app/healthcheck.py"]
CMD ["uvicorn", "--factory", "agentops_pipelines.api.app:create_app", \
     "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
