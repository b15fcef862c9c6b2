"""JUnit XML test reports: parsing and the `TestReport` model."""

from agentops_pipelines.qa.junit.models import (
    CaseResult,
    JUnitFormatError,
    JUnitProperty,
    Rerun,
    SuiteResult,
    TestReport,
    TestStatus,
    Totals,
)
from agentops_pipelines.qa.junit.parser import parse_junit

__all__ = [
    "CaseResult",
    "JUnitFormatError",
    "JUnitProperty",
    "Rerun",
    "SuiteResult",
    "TestReport",
    "TestStatus",
    "Totals",
    "parse_junit",
]
