"""One way to run an environment's install step: the command and its output appended to the
build log (kept beside a failed build), success as a bool, and the log's tail for the problem
shown to the user. Shared by the Python (uv) and Node (npm) environments."""

from __future__ import annotations

import subprocess
from pathlib import Path

LOG_TAIL = 1500  # characters of the install log quoted in a problem


def run_logged(
    command: list[str],
    log: Path,
    *,
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    shown: str | None = None,
) -> bool:
    """Run `command` with `$ <shown or command>` and its output appended to `log`. False when it
    fails, times out or cannot start (the reason is written to the log, never raised)."""
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"$ {shown or ' '.join(command)}\n")
        out.flush()
        try:
            done = subprocess.run(
                command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                timeout=timeout, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            out.write(f"timed out after {timeout:.0f}s\n")
            return False
        except OSError as exc:  # the program is missing or not executable
            out.write(f"{exc}\n")
            return False
    return done.returncode == 0


def log_tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:]
