"""Run a workspace's pytest suite in the sandbox and keep the JUnit XML and log as evidence."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.qa.junit import JUnitFormatError, parse_junit
from agentops_pipelines.qa.results import Origin, RunLog, TestRecord, records_from_report
from agentops_pipelines.qa.sandbox import SandboxLimits, run_sandboxed, sandbox_python

REPORT = ".agentops/junit.xml"
DEFAULT_LIMITS = SandboxLimits(cpu_seconds=120, wall_seconds=300, memory_bytes=2 * 1024**3)


def pytest_argv(python: str) -> list[str]:
    """xunit1 keeps file and line on every case, which the dashboard links to."""
    return [
        python,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "junit_family=xunit1",
        "-W",
        "ignore::pytest.PytestUnknownMarkWarning",
        "--continue-on-collection-errors",
        f"--junitxml={REPORT}",
    ]


def run_pytest(
    workspace: Path,
    origin: Origin,
    evidence_dir: Path,
    limits: SandboxLimits | None = None,
    generated_files: set[str] | None = None,
) -> tuple[list[TestRecord], RunLog, list[str]]:
    """Records, how the run ended, and problems (no report, unreadable report).

    In a codegen workspace (a copy of the repo plus generated files) one run covers both; a
    case whose file codegen wrote is marked `generated`.
    """
    python, pythonpath = sandbox_python()
    evidence_dir.mkdir(parents=True, exist_ok=True)
    argv = pytest_argv(python)
    result = run_sandboxed(
        workspace,
        argv,
        limits or DEFAULT_LIMITS,
        junit_xml=REPORT,
        evidence_dir=evidence_dir,
        pythonpath=pythonpath,
        env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    junit: Path | None = None
    if result.junit_xml_path is not None:
        junit = result.junit_xml_path.rename(evidence_dir / f"{origin}-junit.xml")
    log = evidence_dir / f"{origin}-pytest.log"
    log.write_text(
        f"$ {' '.join(argv)}\n--- stdout ---\n{result.stdout_tail}\n"
        f"--- stderr ---\n{result.stderr_tail}\n",
        encoding="utf-8",
    )
    run = RunLog(
        origin=origin,
        workspace=str(workspace),
        argv=argv,
        exit_code=result.exit_code,
        killed_by=result.killed_by,
        timed_out=result.timed_out,
        wall_seconds=round(result.wall_seconds, 3),
        stdout_tail=result.stdout_tail[-2000:],
        stderr_tail=result.stderr_tail[-2000:],
        junit=str(junit) if junit else None,
        log=str(log),
    )
    if junit is None:
        why = f"killed by the {result.killed_by} limit" if result.killed_by else "no report"
        return [], run, [f"{origin} tests in {workspace}: pytest wrote no JUnit report ({why})"]
    try:
        report = parse_junit(junit, f"{origin}:{junit.name}")
    except JUnitFormatError as err:
        return [], run, [str(err)]
    records = records_from_report(report, origin, str(junit))
    for record in records:
        if record.file and record.file in (generated_files or set()):
            record.origin = "generated"
    return records, run, []
