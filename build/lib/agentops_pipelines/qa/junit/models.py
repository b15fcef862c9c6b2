"""The test-evidence contract: one Pydantic model for every JUnit-style report.

pytest, jest, surefire, phpunit, nette tester and swift all write "JUnit XML" slightly
differently; the parser normalises them into `TestReport` so QA code never sees the dialect.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, Field, computed_field

TestStatus = Literal["passed", "failed", "error", "skipped", "xfail"]
RerunKind = Literal["flakyFailure", "flakyError", "rerunFailure", "rerunError"]


class JUnitFormatError(ValueError):
    """The input is not readable JUnit XML; the message names the source and the problem."""


class JUnitProperty(BaseModel):
    """A `<property>`: the value attribute, or the element text when a tool writes it there."""

    name: str
    value: str


class Rerun(BaseModel):
    """One extra attempt recorded by surefire's rerunFailingTestsCount."""

    kind: RerunKind
    message: str | None = None
    type: str | None = None
    stack_trace: str = ""
    system_out: str = ""
    system_err: str = ""


class CaseResult(BaseModel):
    __test__: ClassVar[bool] = False

    suite: str
    classname: str
    name: str
    file: str | None = None
    line: int | None = None
    time: float = Field(default=0.0, ge=0)
    status: TestStatus
    message: str | None = None
    failure_type: str | None = None
    details: str = Field(default="", description="Failure/error/skip body (stack trace), trimmed")
    properties: list[JUnitProperty] = Field(default_factory=list)
    system_out: str = ""
    system_err: str = ""
    reruns: list[Rerun] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def flaky(self) -> bool:
        """Passed in the end, but only after failing or erroring at least once."""
        return self.status == "passed" and any(r.kind.startswith("flaky") for r in self.reruns)

    @property
    def id(self) -> str:
        return f"{self.classname}::{self.name}" if self.classname else self.name

    def property_values(self, name: str) -> list[str]:
        return [p.value for p in self.properties if p.name == name]


class SuiteResult(BaseModel):
    """A `<testsuite>`; nested suites are flattened, `parent` keeps the nesting."""

    __test__: ClassVar[bool] = False

    name: str
    parent: str | None = None
    file: str | None = None
    timestamp: str | None = None
    time: float = Field(default=0.0, ge=0)
    declared_tests: int | None = None
    properties: list[JUnitProperty] = Field(default_factory=list)
    cases: list[CaseResult] = Field(default_factory=list)
    system_out: str = ""
    system_err: str = ""


class Totals(BaseModel):
    tests: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    xfail: int = 0
    flaky: int = 0
    reruns: int = 0
    time: float = Field(default=0.0, ge=0)


class TestReport(BaseModel):
    """Everything a report contains. `totals` counts the cases present in the file;
    `declared_tests` is what the file claims (pytest's header can claim more than it holds)."""

    __test__: ClassVar[bool] = False

    source_name: str
    name: str | None = None
    suites: list[SuiteResult] = Field(default_factory=list)
    totals: Totals
    declared_tests: int | None = None

    @property
    def cases(self) -> list[CaseResult]:
        return [case for suite in self.suites for case in suite.cases]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def declared_mismatch(self) -> bool:
        return self.declared_tests is not None and self.declared_tests != self.totals.tests
