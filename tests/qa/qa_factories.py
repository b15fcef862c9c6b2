"""Small builders for QA tests: a plain spec, a repo of test files, results without a sandbox."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.qa.results import TestRecord, TestResults
from agentops_pipelines.specs.models import SpecDocument
from agentops_pipelines.specs.parsing import parse_spec

SPEC = """# tiny tool

## Requirements

1. R1: The tool shall print a greeting.
2. R2: The tool shall exit with code 0.
3. R3: The tool shall log every call.
4. R4: The tool should colour its output.
"""


def spec(text: str = SPEC, spec_id: str = "tiny/spec.md") -> SpecDocument:
    return parse_spec(spec_id, text)


def write_repo(root: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    return root


def record(key: str, status: str = "passed", origin: str = "repo", **kw: object) -> TestRecord:
    classname, _, name = key.rpartition(".")
    return TestRecord(
        test_id=f"{classname}::{name}",
        key=key,
        name=name,
        classname=classname,
        status=status,  # type: ignore[arg-type]
        duration=0.01,
        origin=origin,  # type: ignore[arg-type]
        evidence=str(kw.pop("evidence", "/nonexistent/junit.xml")),
        **kw,  # type: ignore[arg-type]
    )


def results(
    root: Path, records: list[TestRecord], generated: list[str] | None = None
) -> TestResults:
    from agentops_pipelines.qa.discover import fingerprints, test_files

    return TestResults(
        spec_id="tiny/spec.md",
        created_at="2026-01-01T00:00:00+00:00",
        records=records,
        roots={"repo": str(root)},
        generated_files=generated or [],
        test_files=fingerprints(test_files(root)),
    )
