"""Receiver memory under 32 concurrent large unsigned / wrongly signed deliveries.

Starts the standalone receiver (uvicorn, one process, SQLite in a temp dir) from a source tree
(this checkout by default; `--source DIR` runs another, e.g. an older commit exported with
`git archive <rev> | tar -x -C DIR`, for the "before" figure), sends N concurrent bodies of
`--mib` MiB in two rounds (no signature, then a well-formed but wrong one), and prints the
receiver's resident memory before and its peak (VmHWM) after each round, plus how many
deliveries were stored (must be 0).

    .venv/bin/python benchmarks/webhook_memory.py [--source DIR] [--bodies 32] [--mib 24]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-secret-not-a-real-one"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _round(port: int, bodies: int, size: int, signature: str | None) -> list[int]:
    payload = b"{" + b" " * (size - 2) + b"}"
    limits = httpx.Limits(max_connections=bodies)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def one() -> int:
            headers = {"X-GitHub-Event": "ping", "X-GitHub-Delivery": str(uuid.uuid4())}
            if signature:
                headers["X-Hub-Signature-256"] = signature
            try:
                url = f"http://127.0.0.1:{port}/webhooks/github"
                return (await client.post(url, content=payload, headers=headers)).status_code
            except httpx.HTTPError:
                return -1

        return await asyncio.gather(*(one() for _ in range(bodies)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--bodies", type=int, default=32)
    parser.add_argument("--mib", type=int, default=24)
    args = parser.parse_args()
    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/app.db"
        port = _free_port()
        env = os.environ | {
            "AGENTOPS_DB_URL": db_url,
            "AGENTOPS_HOME": tmp,
            "AGENTOPS_GITHUB_WEBHOOK_SECRET": SECRET,
            "PYTHONPATH": str(args.source.resolve()),
        }
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "agentops_pipelines.api.receiver.standalone:app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        proc = subprocess.Popen(cmd, env=env, cwd=args.source, start_new_session=True)
        try:
            for _ in range(300):
                try:
                    httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            print(f"source {args.source}: idle RSS {_mib(proc.pid, 'VmRSS'):.0f} MiB")
            size = args.mib * 1024 * 1024
            for label, signature in (("unsigned", None), ("wrongly signed", "sha256=" + "0" * 64)):
                statuses = asyncio.run(_round(port, args.bodies, size, signature))
                counts = {s: statuses.count(s) for s in sorted(set(statuses))}
                print(
                    f"{args.bodies} x {args.mib} MiB {label}: statuses {counts}; "
                    f"peak RSS {_mib(proc.pid, 'VmHWM'):.0f} MiB, now {_mib(proc.pid, 'VmRSS'):.0f}"
                )
            with create_engine(db_url).connect() as conn:
                stored = conn.execute(text("SELECT count(*) FROM webhook_inbox")).scalar()
            print(f"stored deliveries: {stored}")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)


if __name__ == "__main__":
    main()
