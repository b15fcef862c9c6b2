"""Burst of signed GitHub deliveries against the standalone receiver, with a SIGKILL mid-burst.

Starts the receiver (uvicorn, 1 worker by default, SQLite app store in a temp dir), fires N
deliveries built from the real payload examples (~5% redeliveries of earlier ids) over keep-alive
connections with bounded concurrency, kills
the receiver's process group once with SIGKILL, restarts it, re-sends every delivery that was not
acknowledged (as GitHub redelivers), then checks the inbox. The last line is the summary:

    acknowledged=<n> stored=<n> lost=0 duplicate_runs=0 rate_per_s=<v>

Usage: .venv/bin/python benchmarks/webhook_burst.py --deliveries 10000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
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

from agentops_pipelines.gitops.inbox.signature import sign
from agentops_pipelines.store.db import migrate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / ".." / "shared" / "data" / "github_webhooks" / "payload-examples"
SECRET = "benchmark-secret-not-a-real-one"
PATH = "/webhooks/github"
Delivery = tuple[str, str, bytes, str]  # delivery id, event, body, signature


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_receiver(port: int, db_url: str, workers: int) -> subprocess.Popen:
    """Own session, so one killpg(SIGKILL) takes down the supervisor and all its workers."""
    env = os.environ | {"AGENTOPS_DB_URL": db_url, "AGENTOPS_GITHUB_WEBHOOK_SECRET": SECRET}
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
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)


def _group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of every live process in the receiver's process group.

    The machine is shared, so wall-clock rate depends on neighbours; CPU per delivery does not.
    """
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _wait_ready(port: int, timeout: float = 60.0) -> None:
    """A GET on the webhook route answers 405 as soon as the app serves: no schema to build."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{PATH}", timeout=1.0).status_code == 405:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"receiver on port {port} did not come up within {timeout}s")


def _deliveries(count: int, seed: int) -> list[Delivery]:
    """Cycle through the examples; ~5% repeat an earlier delivery id with its same body."""
    rng = random.Random(seed)
    examples = [(p.parent.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*/*.json"))]
    out: list[Delivery] = []
    for n in range(count):
        if out and rng.random() < 0.05:
            out.append(rng.choice(out))
            continue
        event, body = examples[n % len(examples)]
        out.append((str(uuid.UUID(int=rng.getrandbits(128))), event, body, sign(SECRET, body)))
    return out


class _Connection:
    """One keep-alive HTTP/1.1 connection over asyncio streams.

    httpx cost ~5 ms of client CPU per request, more than the receiver itself, so the benchmark
    measured its own client. A POST with Content-Length and a response read by Content-Length
    is all this needs; any error drops the connection and the delivery counts as unacknowledged.
    """

    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, headers: dict[str, str], body: bytes) -> int:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        assert self._reader is not None
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self._writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {self._host}\r\nContent-Length: {len(body)}\r\n"
            f"{head}\r\n".encode("latin-1")
            + body
        )
        await self._writer.drain()
        status_line, *lines = (await self._reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
        length = 0
        for line in lines:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self._reader.readexactly(length)
        return int(status_line.split(b" ", 2)[1])

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


async def _send(conn: _Connection, path: str, item: Delivery) -> bool:
    delivery, event, body, signature = item
    headers = {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": signature,
        "Content-Type": "application/json",
    }
    try:
        status = await asyncio.wait_for(conn.post(path, headers, body), timeout=30.0)
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
        conn.close()
        return False
    return status in (200, 202)


async def _burst(
    items: list[Delivery], port: int, concurrency: int, kill_at: int | None, restart
) -> set[str]:
    """Send everything; `restart` runs once `kill_at` deliveries were handed out.

    Unacknowledged deliveries go back to the queue and are re-sent once the receiver is back,
    like GitHub's redelivery; workers pause while the receiver restarts.
    """
    acked: set[str] = set()
    pending: list[Delivery] = list(reversed(items))
    up = asyncio.Event()
    up.set()
    handed_out = 0
    retried = 0

    async def worker() -> None:
        nonlocal handed_out, retried
        conn = _Connection("127.0.0.1", port)
        while pending:
            await up.wait()
            if not pending:
                break
            item = pending.pop()
            handed_out += 1
            if handed_out == kill_at:
                up.clear()
                await asyncio.to_thread(restart)
                up.set()
            if await _send(conn, PATH, item):
                acked.add(item[0])
            else:
                retried += 1
                pending.insert(0, item)
                await asyncio.sleep(0.05)
        conn.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    print(f"resent_after_failure={retried}")
    return acked


def _run(coro):
    """uvloop when installed (uvicorn[standard] brings it): the client is most of the CPU."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-kill", action="store_true", help="measure without the SIGKILL")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="webhook-burst-") as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'app.db'}"
        migrate(db_url)
        port = _free_port()
        items = _deliveries(args.deliveries, args.seed)
        state = {"proc": _start_receiver(port, db_url, args.workers)}
        _wait_ready(port)

        server_cpu = [0.0]

        def restart() -> None:
            began = time.perf_counter()
            server_cpu[0] += _group_cpu_seconds(state["proc"].pid)
            os.killpg(state["proc"].pid, signal.SIGKILL)
            state["proc"].wait()
            print("receiver killed with SIGKILL; restarting", flush=True)
            state["proc"] = _start_receiver(port, db_url, args.workers)
            _wait_ready(port)
            print(f"restart_s={time.perf_counter() - began:.2f}", flush=True)

        server_cpu[0] -= _group_cpu_seconds(state["proc"].pid)  # start-up is not the burst
        started, client_started = time.perf_counter(), time.process_time()
        kill_at = None if args.no_kill else len(items) // 2
        acked = _run(_burst(items, port, args.concurrency, kill_at, restart))
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - client_started
        server_cpu[0] += _group_cpu_seconds(state["proc"].pid)
        os.killpg(state["proc"].pid, signal.SIGTERM)
        state["proc"].wait()

        engine = create_engine(db_url)
        with engine.connect() as conn:
            stored_ids = [r[0] for r in conn.execute(text("SELECT delivery_id FROM webhook_inbox"))]
            duplicate_runs = conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT delivery_id FROM webhook_inbox"
                    " GROUP BY delivery_id HAVING count(*) > 1)"
                )
            ).scalar_one()
        lost = len(acked - set(stored_ids))
        per_delivery_ms = 1000 * (client_cpu + server_cpu[0]) / len(items)
        print(
            f"client_cpu_ms_per_request={1000 * client_cpu / len(items):.2f} "
            f"server_cpu_ms_per_request={1000 * server_cpu[0] / len(items):.2f} "
            f"cpu_bound_rate_on_2_free_cores={2000 / per_delivery_ms:.0f}/s "
            f"load_avg_1m={os.getloadavg()[0]:.1f}"
        )
        print(
            f"requests={len(items)} unique_ids={len({i[0] for i in items})} "
            f"elapsed_s={elapsed:.2f} workers={args.workers} concurrency={args.concurrency}"
        )
        print(
            f"acknowledged={len(acked)} stored={len(stored_ids)} lost={lost} "
            f"duplicate_runs={duplicate_runs} rate_per_s={len(items) / elapsed:.1f}"
        )


if __name__ == "__main__":
    main()
