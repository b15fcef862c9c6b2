"""A throw-away redis-server from Debian (scripts/install_system.sh) on a free port."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from tests.deploy.services import Service, free_port


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """Start redis-server (no persistence, loopback only); yield its URL; stop it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: run scripts/install_system.sh (make test does)")
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    argv = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(workdir),
        "--protected-mode",
        "yes",
    ]
    service = Service("redis", argv, {"PATH": "/usr/bin:/bin"}, workdir).start()
    try:
        url = f"redis://127.0.0.1:{port}"
        service.wait_until(lambda: redis.Redis.from_url(url).ping(), 30, "PING")
        yield url
    finally:
        service.stop(grace=5)
