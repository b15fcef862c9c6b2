#!/usr/bin/env bash
# Release artefacts under dist/ (called by `make sbom` and `make release`):
#   sbom      dist/requirements.lock.txt (runtime pins exported from uv.lock) and
#             dist/agentops-<version>.cdx.json (CycloneDX 1.6 JSON, from those pins)
#   wheel     dist/agentops-<version>-py3-none-any.whl
#   contexts  dist/agentops-{code,app}-context-<version>.tar.gz: what `docker build` needs
#             (docker build -f deploy/Dockerfile.code - < dist/agentops-code-context-*.tar.gz)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
DIST="${DIST:-dist}"
VERSION="$("$VENV/bin/python" -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
mkdir -p "$DIST"

sbom() {
  "$VENV/bin/uv" export --frozen --no-hashes --no-emit-project --format requirements-txt \
    --quiet -o "$DIST/requirements.lock.txt"
  "$VENV/bin/cyclonedx-py" requirements --pyproject pyproject.toml --of JSON --sv 1.6 \
    --output-reproducible --validate -o "$DIST/agentops-$VERSION.cdx.json" \
    "$DIST/requirements.lock.txt"
  echo "sbom: $DIST/agentops-$VERSION.cdx.json"
}

wheel() {
  "$VENV/bin/uv" build --wheel --quiet -o "$DIST" .
  rm -rf build  # setuptools' scratch folder
  echo "wheel: $(ls "$DIST"/agentops-"$VERSION"-*.whl)"
}

contexts() {
  local files=(pyproject.toml uv.lock README.md .dockerignore agentops_pipelines streamlit_app
               config dbt_metrics deploy)
  for image in code app; do
    tar --exclude='__pycache__' --exclude='*.pyc' --exclude='dbt_metrics/target' \
      --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01' \
      -czf "$DIST/agentops-$image-context-$VERSION.tar.gz" "${files[@]}"
    echo "context: $DIST/agentops-$image-context-$VERSION.tar.gz (deploy/Dockerfile.$image)"
  done
}

for step in "${@:-sbom wheel contexts}"; do
  for s in $step; do "$s"; done
done
