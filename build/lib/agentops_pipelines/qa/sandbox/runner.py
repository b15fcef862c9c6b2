"""Run a command (typically a test suite) on a private copy of a workspace, contained.

Layers, each covering what the others miss: namespaces (no network; a mount view where
/tmp-like dirs are private and every mount but the workdir is read-only; an own PID space so
every descendant dies with it), an unprivileged user (nothing else on disk is writable),
rlimits (CPU, memory, processes, file size), a wall clock with a process-group kill, and an
environment rebuilt from an allowlist so host secrets are never inherited.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import tempfile
from pathlib import Path

from agentops_pipelines.qa.sandbox.evidence import copy_evidence, tail
from agentops_pipelines.qa.sandbox.isolation import isolation_mode
from agentops_pipelines.qa.sandbox.models import (
    KilledBy,
    SandboxLimits,
    SandboxResult,
    SandboxUnavailableError,
)
from agentops_pipelines.qa.sandbox.process import execute

_PATH = "/usr/local/bin:/usr/bin:/bin"
DEFAULT_EXCLUDE = (".git", ".venv", "venv", "node_modules", "__pycache__", ".pytest_cache")
# tmpfs modes: root-owned 0755 makes /tmp unwritable for the sandbox user (TMPDIR points into
# the workdir instead); /dev/shm stays writable for multiprocessing but is private.
_PRIVATE_DIRS = {"/tmp": "0755", "/var/tmp": "0755", "/run/lock": "0755", "/dev/shm": "1777"}


def run_sandboxed(
    workdir: Path,
    argv: list[str],
    limits: SandboxLimits | None = None,
    *,
    junit_xml: str | None = None,
    evidence_dir: Path | None = None,
    pythonpath: list[str] | None = None,
    env: dict[str, str] | None = None,
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE,
) -> SandboxResult:
    """Copy `workdir`, run `argv` inside it contained, and keep `junit_xml` (relative to the
    workdir) as evidence in `evidence_dir` (a fresh temp dir when not given).

    Nothing of the host environment is inherited: `env` adds explicit, non-secret values
    (e.g. PYTEST_DISABLE_PLUGIN_AUTOLOAD) on top of PATH/HOME/TMPDIR/LANG/PYTHONPATH."""
    limits = limits or SandboxLimits()
    if not argv:
        raise ValueError("argv is empty: give the command to run, e.g. ['python', '-m', 'pytest']")
    if not Path(workdir).is_dir():
        raise ValueError(f"workdir {workdir} is not a directory: pass the workspace to test")
    mode = isolation_mode()
    uid, gid = _sandbox_user(limits.user) if mode == "root" else (None, None)
    evidence = _evidence_dir(evidence_dir, junit_xml)
    base = Path(tempfile.mkdtemp(prefix="agentops-sandbox-"))
    try:
        work = _private_copy(Path(workdir), base, uid, gid, exclude)
        config = {
            "workdir": str(work),
            "uid": uid,
            "gid": gid,
            "argv": argv,
            "private_dirs": _PRIVATE_DIRS,
            "readonly_paths": [p for p in pythonpath or [] if Path(p).is_dir()],
            "limits": {
                "cpu": limits.cpu_seconds,
                "memory": limits.memory_bytes,
                "nproc": limits.max_processes,
                "fsize": limits.max_file_bytes,
            },
        }
        child_env = {**(env or {}), **_clean_env(work, pythonpath)}
        status, timed_out, wall = execute(mode, config, child_env, base, limits.wall_seconds)
        stdout = tail(base / "stdout", limits.output_tail_chars)
        stderr = tail(base / "stderr", limits.output_tail_chars)
        junit_path = copy_evidence(work, junit_xml, evidence) if junit_xml and evidence else None
    finally:
        shutil.rmtree(base, ignore_errors=True)
    exit_code, cpu = _decode(status)
    return SandboxResult(
        argv=argv,
        exit_code=None if timed_out else exit_code,
        timed_out=timed_out,
        killed_by=_killed_by(timed_out, exit_code, cpu, stderr, limits),
        cpu_seconds=cpu,
        wall_seconds=wall,
        stdout_tail=stdout,
        stderr_tail=stderr,
        junit_xml_path=junit_path,
        evidence_dir=evidence,
        isolation=mode,
    )


def _evidence_dir(evidence_dir: Path | None, junit_xml: str | None) -> Path | None:
    """Only make a temp dir when there is evidence to keep and the caller gave no place."""
    if evidence_dir is None and junit_xml is None:
        return None
    evidence = Path(evidence_dir or tempfile.mkdtemp(prefix="agentops-evidence-"))
    evidence.mkdir(parents=True, exist_ok=True)
    return evidence


def _sandbox_user(name: str) -> tuple[int, int]:
    try:
        entry = pwd.getpwnam(name)
    except KeyError as exc:
        raise SandboxUnavailableError(
            f"sandbox user {name!r} does not exist; create it or set SandboxLimits.user"
        ) from exc
    if entry.pw_uid == 0:
        raise SandboxUnavailableError(f"sandbox user {name!r} is root; pick an unprivileged user")
    return entry.pw_uid, entry.pw_gid


def _private_copy(
    source: Path, base: Path, uid: int | None, gid: int | None, exclude: tuple[str, ...]
) -> Path:
    """The command sees a copy, so it cannot damage the workspace it was given."""
    os.chmod(base, 0o711)
    work = base / "work"
    shutil.copytree(source, work, symlinks=True, ignore=shutil.ignore_patterns(*exclude))
    (work / ".tmp").mkdir(exist_ok=True)
    if uid is not None and gid is not None:
        for root, dirs, files in os.walk(work):
            for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
                # follow_symlinks=False: a planted link must not hand its target to the user.
                os.chown(name, uid, gid, follow_symlinks=False)
    return work


def _clean_env(work: Path, pythonpath: list[str] | None) -> dict[str, str]:
    env = {
        "PATH": _PATH,
        "HOME": str(work),
        "TMPDIR": str(work / ".tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(pythonpath)
    return env


def _decode(status: dict | None) -> tuple[int | None, float]:
    if status is None:
        return None, 0.0
    raw = status["status"]
    code = os.waitstatus_to_exitcode(raw)
    return code, float(status["cpu"])


def _killed_by(
    timed_out: bool, exit_code: int | None, cpu: float, stderr: str, limits: SandboxLimits
) -> KilledBy | None:
    """Name the limit that ended the run, so a QA report can say why a suite did not finish."""
    if timed_out:
        return "wall"
    if exit_code is None or exit_code == 0:
        return None
    if exit_code == -signal.SIGXCPU:
        return "cpu"
    if exit_code == -signal.SIGKILL and cpu >= limits.cpu_seconds * 0.9:  # past the hard limit
        return "cpu"
    if exit_code == -signal.SIGXFSZ:
        return "fsize"
    if "File too large" in stderr:  # Python ignores SIGXFSZ and raises OSError(EFBIG)
        return "fsize"
    if "MemoryError" in stderr or "Cannot allocate memory" in stderr:
        return "memory"
    return "signal" if exit_code < 0 else None
