"""run_sandboxed: a real pytest run with JUnit evidence, and escape attempts, each contained."""

from __future__ import annotations

import os
import socket
import subprocess
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentops_pipelines.qa.evidence_links import link_tests
from agentops_pipelines.qa.junit import parse_junit
from agentops_pipelines.qa.sandbox import (
    SandboxLimits,
    SandboxResult,
    SandboxUnavailableError,
    isolation_mode,
    run_sandboxed,
)
from agentops_pipelines.qa.sandbox.interpreter import sandbox_python

REPO = Path(__file__).resolve().parents[2]
SMALL = SandboxLimits(
    cpu_seconds=5,
    memory_bytes=512 * 1024**2,
    max_processes=16,
    max_file_bytes=1024**2,
    wall_seconds=20,
)


SAMPLE_TESTS = """
import pytest


def test_ok(record_property):
    record_property("requirement", "FR-001")
    assert 1 + 1 == 2


def test_bad():
    assert "a" == "b"


@pytest.mark.xfail(reason="known bug")
def test_known_bug():
    assert False


@pytest.mark.skip(reason="not yet")
def test_later():
    pass
"""


@pytest.fixture(params=["root", "userns"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a containment test under both isolation flavours (root can do both)."""
    if request.param == "root" and os.geteuid() != 0:
        pytest.skip("the root flavour needs root")
    monkeypatch.setenv("AGENTOPS_SANDBOX_ISOLATION", request.param)
    isolation_mode.cache_clear()
    yield request.param
    isolation_mode.cache_clear()


@pytest.fixture(scope="module")
def python() -> str:
    return sandbox_python()[0]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    work = tmp_path / "workspace"
    work.mkdir()
    (work / "test_sample.py").write_text(SAMPLE_TESTS)
    return work


def _run_code(
    workspace: Path, python: str, code: str, limits: SandboxLimits = SMALL, **kw: object
) -> SandboxResult:
    return run_sandboxed(workspace, [python, "-I", "-S", "-c", textwrap.dedent(code)], limits, **kw)  # type: ignore[arg-type]


def test_pytest_run_keeps_junit_evidence(workspace: Path, tmp_path: Path) -> None:
    python, pythonpath = sandbox_python()
    evidence = tmp_path / "evidence"
    argv = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=out/report.xml"]
    result = run_sandboxed(
        workspace,
        argv,
        SandboxLimits(wall_seconds=120, memory_bytes=2 * 1024**3),
        junit_xml="out/report.xml",
        evidence_dir=evidence,
        pythonpath=pythonpath,
        env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert result.exit_code == 1, result.stderr_tail
    assert result.killed_by is None and not result.timed_out
    assert "1 failed, 1 passed, 1 skipped, 1 xfailed" in result.stdout_tail
    assert result.junit_xml_path == evidence / "report.xml"
    report = parse_junit(result.junit_xml_path, "sandbox")
    totals = report.totals
    assert (totals.passed, totals.failed, totals.skipped, totals.xfail) == (1, 1, 1, 1)
    links = link_tests(["FR-001"], report)
    assert [(ln.test_id, ln.source.kind) for ln in links] == [
        ("test_sample::test_ok", "junit_property")
    ]
    assert not (workspace / "out").exists()  # the command ran on a copy


def test_network_is_unreachable(workspace: Path, python: str, mode: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        port = listener.getsockname()[1]
        code = f"""
        import socket
        for host, port in [("127.0.0.1", {port}), ("1.1.1.1", 53)]:
            try:
                socket.create_connection((host, port), timeout=1).close()
                print("CONNECTED", host)
            except OSError as exc:
                print("BLOCKED", host, type(exc).__name__)
        """
        result = _run_code(workspace, python, code)
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert "BLOCKED 127.0.0.1" in result.stdout_tail
    assert "BLOCKED 1.1.1.1" in result.stdout_tail
    assert "CONNECTED" not in result.stdout_tail


def test_writes_outside_the_workdir_fail(workspace: Path, python: str, mode: str) -> None:
    marker = f"escape-{uuid.uuid4().hex}"
    targets = [f"/tmp/{marker}", f"/var/tmp/{marker}", str(REPO / marker), f"/{marker}"]
    code = f"""
    for path in {targets!r} + ["inside.txt"]:
        try:
            open(path, "w").write("x")
            print("WROTE", path)
        except OSError as exc:
            print("DENIED", path, type(exc).__name__)
    """
    result = _run_code(workspace, python, code)
    assert result.isolation == mode
    for target in targets:
        assert f"DENIED {target}" in result.stdout_tail
        assert not Path(target).exists()
    assert "WROTE inside.txt" in result.stdout_tail
    assert not (workspace / "inside.txt").exists()


def test_fork_bomb_is_contained(workspace: Path, python: str) -> None:
    marker = f"bomb-{uuid.uuid4().hex}"
    code = """
    import os, sys
    forks = 0
    while True:
        try:
            os.fork()
            forks += 1
        except OSError:
            pass
    """
    limits = SMALL.model_copy(update={"wall_seconds": 3, "max_processes": 16})
    argv = [python, "-I", "-S", "-c", textwrap.dedent(code), marker]
    result = run_sandboxed(workspace, argv, limits)
    assert result.timed_out and result.killed_by == "wall"
    survivors = []
    for proc in Path("/proc").iterdir():
        try:
            if marker.encode() in (proc / "cmdline").read_bytes():
                survivors.append(proc.name)
        except OSError:
            continue
    assert survivors == []
    assert subprocess.run(["true"], check=False).returncode == 0


def test_huge_allocation_fails(workspace: Path, python: str) -> None:
    result = _run_code(workspace, python, "buf = bytearray(10 * 1024**3)\nprint('ALLOCATED')")
    assert "ALLOCATED" not in result.stdout_tail
    assert "MemoryError" in result.stderr_tail
    assert result.killed_by == "memory"


def test_sleep_forever_is_killed_at_wall_limit(workspace: Path, python: str) -> None:
    limits = SMALL.model_copy(update={"wall_seconds": 1.5})
    result = _run_code(
        workspace, python, "import time\nprint('start', flush=True)\ntime.sleep(3600)", limits
    )
    assert result.timed_out
    assert result.killed_by == "wall"
    assert result.exit_code is None
    assert "start" in result.stdout_tail


def test_cpu_limit_kills_busy_loop(workspace: Path, python: str) -> None:
    limits = SMALL.model_copy(update={"cpu_seconds": 1, "wall_seconds": 30})
    result = _run_code(workspace, python, "while True:\n    pass", limits)
    assert result.killed_by == "cpu"
    assert result.exit_code is not None and result.exit_code < 0


def test_file_size_limit(workspace: Path, python: str) -> None:
    result = _run_code(workspace, python, "open('big.bin', 'wb').write(b'x' * 4 * 1024**2)")
    assert result.killed_by == "fsize"


def test_host_secrets_are_not_visible(
    workspace: Path, python: str, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    secret = f"tok-{uuid.uuid4().hex}"
    monkeypatch.setenv("FAKE_SECRET_TOKEN", secret)
    code = """
    import os
    print("ENV", sorted(os.environ))
    print("VALUE", os.environ.get("FAKE_SECRET_TOKEN"))
    for pid in os.listdir("/proc"):
        try:
            print("PROC", pid, open(f"/proc/{pid}/environ", "rb").read())
        except OSError:
            pass
    """
    result = _run_code(workspace, python, code)
    assert "VALUE None" in result.stdout_tail
    assert secret not in result.stdout_tail + result.stderr_tail
    assert "FAKE_SECRET_TOKEN" not in result.stdout_tail


def test_symlinked_report_is_not_copied_out(workspace: Path, python: str, tmp_path: Path) -> None:
    code = "import os\nos.symlink('/etc/shadow', 'report.xml')"
    result = _run_code(
        workspace, python, code, junit_xml="report.xml", evidence_dir=tmp_path / "ev"
    )
    assert result.exit_code == 0
    assert result.junit_xml_path is None
    assert list((tmp_path / "ev").iterdir()) == []


def test_runs_as_unprivileged_user(workspace: Path, python: str) -> None:
    result = _run_code(workspace, python, "import os\nprint('UID', os.getuid())")
    if result.isolation == "root":
        assert "UID 0" not in result.stdout_tail
    assert "UID" in result.stdout_tail


def test_refuses_when_namespaces_are_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workspace: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no unshare reachable
    isolation_mode.cache_clear()
    try:
        with pytest.raises(SandboxUnavailableError, match="Refusing|unshare"):
            run_sandboxed(workspace, ["true"], SMALL)
    finally:
        isolation_mode.cache_clear()


def test_bad_arguments_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="argv is empty"):
        run_sandboxed(tmp_path, [], SMALL)
    with pytest.raises(ValueError, match="is not a directory"):
        run_sandboxed(tmp_path / "missing", ["true"], SMALL)


def test_sandbox_user_must_exist(workspace: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("user switching only happens when running as root")
    with pytest.raises(SandboxUnavailableError, match="does not exist"):
        run_sandboxed(workspace, ["true"], SMALL.model_copy(update={"user": "no-such-user-x"}))


def test_excluded_dirs_are_not_copied(workspace: Path, python: str) -> None:
    (workspace / ".git").mkdir()
    (workspace / ".git" / "config").write_text("[core]")
    result = _run_code(workspace, python, "import os\nprint('GIT', os.path.exists('.git'))")
    assert "GIT False" in result.stdout_tail
