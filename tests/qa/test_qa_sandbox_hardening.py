"""Issue 22, sandbox and evidence: each finding reproduced, and now contained."""

from __future__ import annotations

import ctypes
import os
import socket
import stat
import textwrap
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentops_pipelines.qa.sandbox import (
    SandboxLimits,
    SandboxResult,
    SandboxUnavailableError,
    isolation_mode,
    run_sandboxed,
)
from agentops_pipelines.qa.sandbox.interpreter import sandbox_python
from agentops_pipelines.qa.sandbox.runner import REPORT_PATH
from agentops_pipelines.store.engine import make_engine

REPO = Path(__file__).resolve().parents[2]
SMALL = SandboxLimits(cpu_seconds=10, memory_bytes=512 * 1024**2, max_processes=16,
                      max_file_bytes=1024**2, wall_seconds=30)  # fmt: skip


@pytest.fixture(params=["root", "userns"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if os.geteuid() != 0:
        pytest.skip("both flavours need a root service (a non-root one is refused)")
    monkeypatch.setenv("AGENTOPS_SANDBOX_ISOLATION", request.param)
    isolation_mode.cache_clear()
    yield request.param
    isolation_mode.cache_clear()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    work = tmp_path / "workspace"
    work.mkdir()
    return work


def _run(workspace: Path, code: str, limits: SandboxLimits = SMALL, **kw: object) -> SandboxResult:
    python = sandbox_python()[0]
    return run_sandboxed(workspace, [python, "-I", "-S", "-c", textwrap.dedent(code)], limits, **kw)  # type: ignore[arg-type]


def test_userns_reads_no_host_secrets_and_forks_are_capped(workspace: Path, mode: str) -> None:
    """Before: userns tests ran as the service's uid, read /etc/shadow and ~/.gitconfig, and 300
    forks succeeded."""
    home_file = Path.home() / ".gitconfig"
    code = f"""
    import os, time
    for path in ["/etc/shadow", {str(home_file)!r}, {str(REPO / "README.md")!r}, "/root"]:
        try:
            open(path).read() if not os.path.isdir(path) else os.listdir(path)
            print("GOTIT", path)
        except OSError as exc:
            print("DENIED", path, type(exc).__name__)
    forks = 0
    for _ in range(300):
        try:
            if os.fork() == 0:
                time.sleep(5)
                os._exit(0)
            forks += 1
        except OSError:
            break
    print("FORKS", forks)
    """
    result = _run(workspace, code)
    assert result.isolation == mode
    assert "GOTIT" not in result.stdout_tail, result.stdout_tail
    forks = int(result.stdout_tail.split("FORKS")[1].split()[0])
    assert forks < SMALL.max_processes


def test_non_root_service_is_refused_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    isolation_mode.cache_clear()
    try:
        with pytest.raises(SandboxUnavailableError, match="uid of its own.*Refusing"):
            isolation_mode()
    finally:
        isolation_mode.cache_clear()


def test_host_unix_socket_under_run_is_unreachable(workspace: Path, mode: str) -> None:
    """Before: a test connected to a host daemon's socket under /run."""
    path = Path("/run") / f"agentops-test-{uuid.uuid4().hex[:8]}.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    os.chmod(path, 0o777)
    server.listen()
    server.setblocking(False)
    try:
        code = f"""
        import socket, os
        print("LISTING", os.listdir("/run"))
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect({str(path)!r}); print("CONNECTED")
        except OSError as exc:
            print("BLOCKED", type(exc).__name__)
        """
        result = _run(workspace, code)
        with pytest.raises(BlockingIOError):
            server.accept()
    finally:
        server.close()
        path.unlink()
    assert "BLOCKED" in result.stdout_tail and "CONNECTED" not in result.stdout_tail
    assert path.name not in result.stdout_tail


def test_host_sysv_ipc_is_not_shared(workspace: Path, mode: str) -> None:
    """Before: no IPC namespace, so SysV segments of the host were visible and attachable."""
    libc = ctypes.CDLL(None, use_errno=True)
    key = 0x5A000000 + (os.getpid() & 0xFFFF)
    shmid = libc.shmget(key, 4096, 0o1000 | 0o666)  # IPC_CREAT
    assert shmid >= 0
    try:
        result = _run(workspace, "print('SHM', open('/proc/sysvipc/shm').read().count('\\n') - 1)")
    finally:
        libc.shmctl(shmid, 0, None)  # IPC_RMID
    assert "SHM 0" in result.stdout_tail, result.stdout_tail + result.stderr_tail


def test_only_what_the_run_needs_is_mounted(workspace: Path, mode: str) -> None:
    code = """
    import os
    print("ROOT", sorted(os.listdir("/")))
    print("ETC", sorted(os.listdir("/etc")))
    print("TMP", os.listdir("/tmp"), "RUN", os.listdir("/run"))
    try:
        open("/usr/agentops-x", "w"); print("WROTE /usr")
    except OSError:
        print("RO /usr")
    """
    result = _run(workspace, code)
    out = result.stdout_tail
    assert "'home'" not in out and "'root'" not in out and "'work'" not in out, out
    assert "shadow" not in out and "passwd" in out
    tmp_listing = out.split("TMP ")[1].split(" RUN")[0]
    assert tmp_listing.count("'") == 2 and "agentops-sandbox-" in tmp_listing  # its own workdir
    assert "RUN []" in out
    assert "RO /usr" in out


def test_one_sandbox_cannot_starve_another(tmp_path: Path) -> None:
    """Before: every sandbox ran as `nobody`, so 63 processes held by one run made a concurrent
    run fail to fork. Now each run has its own uid and so its own RLIMIT_NPROC."""
    hog = tmp_path / "hog"
    other = tmp_path / "other"
    hog.mkdir()
    other.mkdir()
    limits = SMALL.model_copy(update={"max_processes": 40, "wall_seconds": 20})
    started = threading.Event()
    hog_code = """
    import os, time
    kids = 0
    for _ in range(60):
        try:
            if os.fork() == 0:
                time.sleep(8)
                os._exit(0)
            kids += 1
        except OSError:
            break
    open("started", "w").close()
    print("HOG", kids, flush=True)
    time.sleep(8)
    """
    results: dict[str, SandboxResult] = {}

    def run_hog() -> None:
        results["hog"] = _run(hog, hog_code, limits)
        started.set()

    thread = threading.Thread(target=run_hog)
    thread.start()
    import time

    time.sleep(3)  # the hog is holding its processes now
    other_code = """
    import os
    ok = 0
    for _ in range(10):
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        ok += 1
    print("OTHER", ok)
    """
    results["other"] = _run(other, other_code, limits)
    thread.join()
    assert "HOG" in results["hog"].stdout_tail
    assert "OTHER 10" in results["other"].stdout_tail, results["other"].stderr_tail


def test_report_on_fd3_cannot_be_rewritten_afterwards(workspace: Path, tmp_path: Path) -> None:
    """The runner writes its report down a pipe; the tests' later writes become a second
    document (the parser refuses it), and the report file of old is gone."""
    code = f"""
    import atexit
    with open({REPORT_PATH!r}, "w") as out:
        out.write('<testsuite name="real" tests="1">'
                  '<testcase name="t"><failure/></testcase></testsuite>')
    def forge():
        with open({REPORT_PATH!r}, "w") as out:
            out.write('<testsuite name="forged" tests="1"><testcase name="t"/></testsuite>')
    atexit.register(forge)
    """
    result = _run(
        workspace, code, junit_xml="r.xml", evidence_dir=tmp_path / "ev", report_pipe=True
    )
    assert result.junit_xml_path is not None
    text = result.junit_xml_path.read_text()
    assert text.count("<testsuite") == 2  # both documents kept: the forgery is visible
    from agentops_pipelines.qa.junit import JUnitFormatError, parse_junit

    with pytest.raises(JUnitFormatError):
        parse_junit(result.junit_xml_path)


def test_app_db_is_created_private(tmp_path: Path) -> None:
    """Before: app.db was created 0644 (world-readable audit trails and ledgers)."""
    db = tmp_path / "state" / "app.db"
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        conn.exec_driver_sql("create table t (x int)")
        conn.commit()
    engine.dispose()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    for companion in db.parent.glob("app.db-*"):
        assert stat.S_IMODE(companion.stat().st_mode) == 0o600


def test_sandbox_dies_with_the_worker_that_started_it(tmp_path: Path) -> None:
    """A QA worker killed mid-run must not leave its sandbox running until the wall clock."""
    import subprocess
    import sys
    import time

    marker = f"orphan-{uuid.uuid4().hex}"
    (tmp_path / "w").mkdir()
    script = textwrap.dedent(f"""
        from pathlib import Path
        from agentops_pipelines.qa.sandbox import SandboxLimits, run_sandboxed, sandbox_python
        python = sandbox_python()[0]
        run_sandboxed(Path({str(tmp_path / "w")!r}),
                      [python, "-c", "import time; time.sleep(120)", {marker!r}],
                      SandboxLimits(wall_seconds=120, cpu_seconds=120))
    """)
    worker = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)

    def sandboxed() -> list[str]:
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if marker.encode() in (proc / "cmdline").read_bytes() and proc.name != str(
                    worker.pid
                ):
                    found.append(proc.name)
            except OSError:
                continue
        return found

    deadline = time.monotonic() + 60
    while not sandboxed() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sandboxed(), "the sandboxed command never started"
    worker.kill()
    worker.wait()
    deadline = time.monotonic() + 10
    while sandboxed() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sandboxed() == []
