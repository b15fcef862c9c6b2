"""Gather every test result for one spec: a sandboxed run, plus JUnit files dropped by CI.

The run happens in the codegen workspace when there is one (it is a copy of the linked repo plus
the generated files), else in the linked repo itself; either way on a private copy.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from agentops_pipelines.qa.discover import fingerprints, has_python_tests, head_commit, test_files
from agentops_pipelines.qa.junit import JUnitFormatError, parse_junit
from agentops_pipelines.qa.results import TestResults, records_from_report
from agentops_pipelines.qa.run import run_pytest
from agentops_pipelines.qa.sandbox import SandboxLimits


def ci_reports(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.xml") if p.is_file())


def collect_test_results(
    spec_id: str,
    evidence_dir: Path,
    *,
    repo: Path | None = None,
    generated: Path | None = None,
    generated_files: list[str] | None = None,
    junit_files: list[Path] | None = None,
    limits: SandboxLimits | None = None,
    run_tests: bool = True,
) -> TestResults:
    """Python suites run sandboxed; other languages contribute through their JUnit files."""
    results = TestResults(
        spec_id=spec_id,
        repo=str(repo) if repo else None,
        commit=head_commit(repo) if repo and repo.is_dir() else None,
        generated_workspace=str(generated) if generated else None,
        generated_files=sorted(generated_files or []),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    workspace, origin = (generated, "generated") if generated else (repo, "repo")
    if workspace is not None and not workspace.is_dir():
        results.problems.append(f"{origin} workspace {workspace} does not exist; nothing ran")
    elif workspace is not None:
        results.roots[origin] = str(workspace)
        results.test_files = fingerprints(test_files(workspace))
        if run_tests and has_python_tests(workspace):
            records, run, problems = run_pytest(
                workspace, "repo", evidence_dir, limits, set(results.generated_files)
            )
            results.records += records
            results.runs.append(run)
            results.problems += problems
    ci_dir = evidence_dir / "ci"
    for index, path in enumerate(junit_files or []):
        try:
            report = parse_junit(path)
        except JUnitFormatError as err:
            results.problems.append(str(err))
            continue
        ci_dir.mkdir(parents=True, exist_ok=True)
        kept = ci_dir / f"{index:03d}-{path.name}"
        shutil.copyfile(path, kept)
        results.records += records_from_report(report, "ci", str(kept))
    return results
