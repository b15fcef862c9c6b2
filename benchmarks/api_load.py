"""The API under load: 100 concurrent clients against one uvicorn worker on 127.0.0.1.

    python benchmarks/api_load.py [--clients 100] [--requests 2000]

Seeds a new AGENTOPS_HOME with the 16 sample specs parsed and planned (what the pipeline
writes), starts `uvicorn --factory agentops_pipelines.api.app:create_app` in a child process,
then per endpoint sends --requests requests from --clients concurrent httpx clients (bounded:
it stops by itself). Reads: GET /api/plans/{id}, GET /api/plans/{id}/tasks,
GET /api/marketplace/templates, GET /api/git/links; SpecGPT: POST /api/assistant/ask (offline
provider). Prints p50/p95/p99 latency, requests/s and errors per endpoint. Last line:
reads_p95_ms=<max p95 of the reads> errors=<total>.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(home: Path) -> list[str]:
    os.environ["AGENTOPS_HOME"] = str(home)
    from agentops_pipelines.artefacts import ArtefactStore
    from agentops_pipelines.planning.cli import plan_spec
    from agentops_pipelines.settings import load_settings
    from agentops_pipelines.specs.parsing import parse_spec
    from agentops_pipelines.specs.source import SpecFolder

    settings = load_settings()
    store = ArtefactStore(settings.artefact_root)
    keys = []
    folder = ROOT / "examples" / "specs"
    for spec in SpecFolder(folder).scan():
        store.write_model(
            "spec_document", spec.key, parse_spec(spec.key, (folder / spec.key).read_text())
        )
        plan_spec(spec.key, settings=settings)
        keys.append(spec.key)
    return keys


async def hammer(base: str, method: str, paths: list[str], body, clients: int, total: int):
    latencies: list[float] = []
    errors: dict[str, int] = {}
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(paths[i % len(paths)])

    async def client() -> None:
        headers = {"X-AgentOps-User": "bench"}  # SpecGPT answers per user (rate limits)
        async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers) as http:
            while not queue.empty():
                path = queue.get_nowait()
                t0 = time.perf_counter()
                try:
                    response = await http.request(method, path, json=body)
                    if response.status_code >= 400:
                        errors[str(response.status_code)] = (
                            errors.get(str(response.status_code), 0) + 1
                        )
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                latencies.append((time.perf_counter() - t0) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return np.array(latencies), errors, total / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--ask-requests", type=int, default=200)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="agentops-api-load-"))
    keys = seed(home)
    port = free_port()
    env = {**os.environ, "AGENTOPS_HOME": str(home), "AGENTOPS_LOG_FORMAT": "plain"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "uvicorn"),
            "--factory",
            "agentops_pipelines.api.app:create_app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{base}/api/git/links", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the API did not come up")
            time.sleep(0.5)
        print(
            f"load {' '.join(Path('/proc/loadavg').read_text().split()[:3])}; "
            f"{args.clients} clients, one uvicorn worker"
        )
        cases = {
            "GET /api/plans/{id}": ("GET", [f"/api/plans/{k}" for k in keys], None, args.requests),
            "GET /api/plans/{id}/tasks": (
                "GET",
                [f"/api/plans/{k}/tasks" for k in keys],
                None,
                args.requests,
            ),
            "GET /api/marketplace/templates": (
                "GET",
                ["/api/marketplace/templates"],
                None,
                args.requests,
            ),
            "GET /api/git/links": ("GET", ["/api/git/links"], None, args.requests),
            "POST /api/assistant/ask": (
                "POST",
                ["/api/assistant/ask"],
                {"question": "How long are invoices kept?"},
                args.ask_requests,
            ),
        }
        worst_read, total_errors = 0.0, 0
        for name, (method, paths, body, count) in cases.items():
            asyncio.run(hammer(base, method, paths[:1], body, 2, 4))  # warm the route
            lat, errors, rps = asyncio.run(hammer(base, method, paths, body, args.clients, count))
            p50, p95, p99 = (float(np.percentile(lat, q)) for q in (50, 95, 99))
            print(
                f"{name}: p50={p50:.0f} ms p95={p95:.0f} ms p99={p99:.0f} ms "
                f"{rps:.0f} req/s n={count} errors={errors or 0}"
            )
            total_errors += sum(errors.values())
            if method == "GET":
                worst_read = max(worst_read, p95)
        print(f"reads_p95_ms={worst_read:.0f} errors={total_errors}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
