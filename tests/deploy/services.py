"""Separate server processes for the deployment tests: start, wait until they answer, stop.

Each service runs in its own session (process group), so stopping it takes its children
(uvicorn workers, Celery pool processes, the code server's gRPC subprocess) with it. Output goes
to a log file under tmp_path, shown when a wait times out.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Service:
    name: str
    argv: Sequence[str]
    env: Mapping[str, str]
    log_dir: Path
    cwd: Path | None = None
    proc: subprocess.Popen | None = field(default=None, init=False)

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"{self.name}.log"

    def start(self) -> Service:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            list(self.argv),
            env=dict(self.env),
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        return self

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_until(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise AssertionError(f"{self.name} exited before {what}:\n{self.log_tail()}")
            with contextlib.suppress(Exception):
                if ready():
                    return
            time.sleep(0.5)
        raise AssertionError(f"{self.name}: no {what} within {timeout:.0f} s:\n{self.log_tail()}")

    def wait_port(self, port: int, timeout: float = 120) -> Service:
        self.wait_until(lambda: port_open(port), timeout, f"listener on port {port}")
        return self

    def wait_http(self, url: str, timeout: float = 120) -> Service:
        self.wait_until(lambda: httpx.get(url, timeout=5).status_code < 500, timeout, url)
        return self

    def stop(self, grace: float = 15) -> None:
        """TERM the whole group, then KILL what is left after `grace` seconds."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=grace)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)


class Services:
    """Started services, stopped in reverse order (workers before the broker, ...)."""

    def __init__(self, log_dir: Path, env: Mapping[str, str]) -> None:
        self.log_dir = log_dir
        self.env = dict(env)
        self.started: list[Service] = []

    def start(self, name: str, argv: Sequence[str], **extra_env: str) -> Service:
        service = Service(name, argv, {**self.env, **extra_env}, self.log_dir).start()
        self.started.append(service)
        return service

    def stop_all(self) -> None:
        for service in reversed(self.started):
            service.stop()

    def logs(self) -> str:
        return "\n".join(f"----- {s.name}\n{s.log_tail(3000)}" for s in self.started)
