"""The `test_results` table: one row per executed test case, whatever ran it.

Rows come from a sandboxed pytest run of the linked repo, from a run of the generated skeletons,
or from JUnit XML that CI dropped; `origin` keeps them apart because a failing skeleton means
"not implemented yet" while a failing repo test means "broken".
"""

from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from agentops_pipelines.qa.junit import TestReport, TestStatus

Origin = Literal["repo", "generated", "ci"]
STATUSES: tuple[str, ...] = ("passed", "failed", "error", "skipped", "xfail")
_PARAMS = re.compile(r"\[.*\]$")


class TestRecord(BaseModel):
    __test__: ClassVar[bool] = False

    test_id: str = Field(description="classname::name as the report wrote it")
    key: str = Field(description="dotted id without parameters, e.g. tests.test_x.TestA.test_b")
    name: str
    classname: str
    status: TestStatus
    duration: float = Field(ge=0)
    origin: Origin
    evidence: str = Field(description="JUnit XML file kept under the artefact root")
    file: str | None = None
    line: int | None = None
    message: str | None = None
    details: str = ""
    flaky: bool = False
    reruns: int = 0


class RunLog(BaseModel):
    """How one sandboxed run ended, so a missing result can be explained (timeout, crash)."""

    origin: Origin
    workspace: str
    argv: list[str]
    exit_code: int | None
    killed_by: str | None = None
    timed_out: bool = False
    wall_seconds: float = 0.0
    stdout_tail: str = ""
    stderr_tail: str = ""
    junit: str | None = None
    log: str | None = Field(default=None, description="stdout+stderr kept as evidence")


class TestResults(BaseModel):
    __test__: ClassVar[bool] = False

    spec_id: str
    repo: str | None = None
    commit: str | None = None
    generated_workspace: str | None = None
    created_at: str
    records: list[TestRecord] = Field(default_factory=list)
    runs: list[RunLog] = Field(default_factory=list)
    test_files: dict[str, str] = Field(
        default_factory=dict, description="test file path -> sha256, for change tracking"
    )
    roots: dict[str, str] = Field(default_factory=dict, description="origin -> folder scanned")
    generated_files: list[str] = Field(
        default_factory=list, description="workspace-relative files written by codegen"
    )
    problems: list[str] = Field(default_factory=list, description="unreadable reports, crashes")

    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.records) for s in STATUSES}


def dotted_key(classname: str, name: str) -> str:
    """pytest writes classname 'pkg.test_mod.TestA' and name 'test_b[1]'."""
    base = _PARAMS.sub("", name)
    return f"{classname}.{base}" if classname else base


def records_from_report(report: TestReport, origin: Origin, evidence: str) -> list[TestRecord]:
    return [
        TestRecord(
            test_id=case.id,
            key=dotted_key(case.classname, case.name),
            name=case.name,
            classname=case.classname,
            status=case.status,
            duration=case.time,
            origin=origin,
            evidence=evidence,
            file=case.file,
            line=case.line,
            message=case.message,
            details=case.details[:2000],
            flaky=case.flaky,
            reruns=len(case.reruns),
        )
        for case in report.cases
    ]
