"""Run a command (typically a test suite) on a private copy of a workspace, contained.

Layers, each covering what the others miss: namespaces (no network; a minimal root holding only
the system folders, the workdir and the run's environment, all read-only but the workdir,
private /tmp, /run and /dev/shm; own PID and IPC spaces so every descendant dies with it), a
host uid of its own per run (nothing else on disk is writable, its process limit is its own),
rlimits (CPU, memory, processes, file size), a wall clock with a process-group kill, and an
environment rebuilt from an allowlist so host secrets are never inherited. The runner's report
can come back through a pipe (`report_pipe=True`) that the tests cannot rewrite afterwards.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from agentops_pipelines.qa.sandbox.evidence import copy_evidence, tail
from agentops_pipelines.qa.sandbox.interpreter import sandbox_python
from agentops_pipelines.qa.sandbox.isolation import isolation_mode, run_uid
from agentops_pipelines.qa.sandbox.models import (
    KilledBy,
    SandboxLimits,
    SandboxResult,
    SandboxUnavailableError,
)
from agentops_pipelines.qa.sandbox.process import ReportPipe, execute

_PATH = "/usr/local/bin:/usr/bin:/bin"
DEFAULT_EXCLUDE = (".git", ".venv", "venv", "node_modules", "__pycache__", ".pytest_cache")
# Private, empty and read-only in the new root (TMPDIR points into the workdir instead); /run
# is where host daemons keep their Unix sockets, so the sandbox gets its own.
_PRIVATE_DIRS = {"/tmp": "0755", "/var/tmp": "0755", "/run": "0755"}
# Host folders the new root holds, read-only; symlinks (merged /usr) are recreated as links.
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", "/etc/alternatives",
                "/etc/ssl")  # fmt: skip
REPORT_PATH = "/proc/self/fd/3"  # where a runner writes its report when report_pipe=True


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
    binds: list[tuple[Path, str]] | None = None,
    report_pipe: bool = False,
    path: list[str] | None = None,
    cwd: str | None = None,
) -> SandboxResult:
    """Copy `workdir`, run `argv` inside it contained, and keep `junit_xml` (relative to the
    workdir) as evidence in `evidence_dir` (a fresh temp dir when not given).

    `binds` are (host folder, target) pairs mounted read-only; a relative target is inside the
    workdir copy (e.g. a cached node_modules). With `report_pipe` the command writes its report
    to `REPORT_PATH` (fd 3, a pipe the host drains) and `junit_xml` is only the evidence name.

    Nothing of the host environment is inherited: `env` adds explicit, non-secret values
    (e.g. PYTEST_DISABLE_PLUGIN_AUTOLOAD) on top of PATH/HOME/TMPDIR/LANG/PYTHONPATH; `path`
    entries go before the system PATH; relative `pythonpath` entries are inside the workdir
    copy; `cwd` is a folder of the copy to start in."""
    limits = limits or SandboxLimits()
    if not argv:
        raise ValueError("argv is empty: give the command to run, e.g. ['python', '-m', 'pytest']")
    if not Path(workdir).is_dir():
        raise ValueError(f"workdir {workdir} is not a directory: pass the workspace to test")
    mode = isolation_mode()
    host_uid, host_gid = _sandbox_user(limits.user) if limits.user else (run_uid(),) * 2
    uid, gid = (host_uid, host_gid) if mode == "root" else (None, None)
    evidence = _evidence_dir(evidence_dir, junit_xml)
    base = Path(tempfile.mkdtemp(prefix="agentops-sandbox-"))
    report = None
    try:
        work = _private_copy(Path(workdir), base, host_uid, host_gid, exclude)
        (base / "root").mkdir()
        mounts = [(p, p) for p in pythonpath or [] if p.startswith("/") and Path(p).is_dir()]
        for source, target in binds or []:
            inside = target if target.startswith("/") else str(work / target)
            if not target.startswith("/"):
                (work / target).mkdir(parents=True, exist_ok=True)
            mounts.append((str(source), inside))
        report = ReportPipe(host_uid) if report_pipe else None
        config = {
            "workdir": str(work),
            "cwd": str(work / cwd) if cwd else str(work),
            "root": str(base / "root"),
            "uid": uid,
            "gid": gid,
            "argv": argv,
            "private_dirs": _PRIVATE_DIRS,
            "system_paths": list(SYSTEM_PATHS),
            "readonly_binds": mounts,
            "limits": {
                "cpu": limits.cpu_seconds,
                "memory": limits.memory_bytes,
                "nproc": limits.max_processes,
                "fsize": limits.max_file_bytes,
            },
        }
        child_env = {**(env or {}), **_clean_env(work, pythonpath, path)}
        status, timed_out, wall = execute(
            mode,
            config,
            child_env,
            base,
            limits.wall_seconds,
            run_uid=host_uid,
            init_python=sandbox_python()[0] if mode == "userns" else sys.executable,
            report=report,
        )
        stdout = tail(base / "stdout", limits.output_tail_chars)
        stderr = tail(base / "stderr", limits.output_tail_chars)
        if report is not None:
            junit_path = _keep_report(report, junit_xml or "report.xml", evidence)
        elif junit_xml and evidence:
            junit_path = copy_evidence(work, junit_xml, evidence)
        else:
            junit_path = None
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


def _keep_report(report: ReportPipe, name: str, evidence: Path | None) -> Path | None:
    """What came down the pipe, written by the host where the sandbox never had access."""
    data = report.result()
    if not data or evidence is None:
        return None
    destination = evidence / Path(name).name
    destination.write_bytes(data)
    return destination


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


def _clean_env(work: Path, pythonpath: list[str] | None, path: list[str] | None) -> dict[str, str]:
    env = {
        "PATH": os.pathsep.join([*(path or []), _PATH]),
        "HOME": str(work),
        "TMPDIR": str(work / ".tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(
            p if p.startswith("/") else str(work / p) for p in pythonpath
        )
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
