"""Start the namespaced init, enforce the wall clock, and collect the raw exit status."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from agentops_pipelines.qa.sandbox.isolation import unshare_prefix
from agentops_pipelines.qa.sandbox.models import IsolationMode

_INIT = Path(__file__).with_name("_init.py")


def execute(
    mode: IsolationMode, config: dict, env: dict[str, str], base: Path, wall_seconds: float
) -> tuple[dict | None, bool, float]:
    read_fd, write_fd = os.pipe()
    config = {**config, "status_fd": write_fd}
    cmd = [*unshare_prefix(mode), sys.executable, "-I", "-S", str(_INIT), json.dumps(config)]  # type: ignore[arg-type]
    started = time.monotonic()
    timed_out = False
    with open(base / "stdout", "wb") as out, open(base / "stderr", "wb") as err:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            cwd="/",
            pass_fds=(write_fd,),
            start_new_session=True,
        )
        os.close(write_fd)
        try:
            proc.wait(timeout=wall_seconds)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc)
    wall = time.monotonic() - started
    with os.fdopen(read_fd, "rb") as status_pipe:
        raw = status_pipe.read()
    if not raw and not timed_out:
        # The init died before reporting (e.g. a mount failed): fall back to unshare's status.
        return {"status": _as_wait_status(proc.returncode), "cpu": 0.0}, timed_out, wall
    return (json.loads(raw) if raw else None), timed_out, wall


def _as_wait_status(returncode: int) -> int:
    """Rebuild a raw wait status from Popen's returncode so one decoder serves both paths."""
    return -returncode & 0x7F if returncode < 0 else (returncode & 0xFF) << 8


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the namespace init and the session, then wait until the namespace is empty.

    The kernel kills every process of a PID namespace when its init dies, and the init turns
    zombie (or vanishes) only once they are all gone; waiting for that means no sandboxed
    process outlives this call.
    """
    inits = _children(proc.pid)
    for pid in inits:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in inits) and time.monotonic() < deadline:
        time.sleep(0.02)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie awaiting its reaper."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat_line.rsplit(")", 1)[-1].split()[0] != "Z"
