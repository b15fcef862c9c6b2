"""Cross-checking a report against the runner, and naming environment problems."""

from __future__ import annotations

from agentops_pipelines.qa.junit import parse_junit
from agentops_pipelines.qa.results import TestRecord
from agentops_pipelines.qa.verdicts import disbelief, environment_problem

REPORT = b"""<testsuite name="s" tests="2" failures="1">
<testcase classname="t" name="ok"/><testcase classname="t" name="bad"><failure/></testcase>
</testsuite>"""


def _record(message: str, details: str = "", status: str = "failed") -> TestRecord:
    return TestRecord(test_id="t::x", key="t.x", name="x", classname="t", status=status,
                      duration=0, origin="repo", evidence="-", file="tests/t.ts",
                      message=message, details=details)  # fmt: skip


def test_report_and_runner_must_agree() -> None:
    report = parse_junit(REPORT, "r")
    assert disbelief(report, 1, "== 1 failed, 1 passed in 0.1s ==", "pytest") is None
    assert "exited 0" in (disbelief(report, 0, "", "pytest") or "")
    assert "printed 2 failed" in (disbelief(report, 1, "== 2 failed in 0.1s ==", "pytest") or "")
    passing = parse_junit(b'<testsuite name="s" tests="1"><testcase name="a"/></testsuite>', "p")
    assert "exited 1" in (disbelief(passing, 1, "", "vitest") or "")
    # vitest adds a failing case per failed file beside the tests it counts
    assert disbelief(report, 1, "      Tests  1 passed (1)", "vitest") is None
    assert "printed" in (disbelief(report, 1, "      Tests  2 passed (2)", "vitest") or "")


def test_environment_reasons_are_named() -> None:
    node = _record("SyntaxError", "The requested module 'node:fs/promises' does not provide an "
                   "export named 'glob'")  # fmt: skip
    assert "needs a newer Node than v20.1.0" in environment_problem(node, "v20.1.0").message  # type: ignore[union-attr]
    refused = _record("Error", "connect ECONNREFUSED 127.0.0.1:5432")
    assert environment_problem(refused, None).kind == "service"  # type: ignore[union-attr]
    plain = _record("AssertionError: expected 3 to be 4")
    assert environment_problem(plain, None) is None
    assert environment_problem(_record("x", "ECONNREFUSED", status="passed"), None) is None


def test_a_write_the_sandbox_refuses_is_an_environment_problem() -> None:
    build = _record(
        "Command failed: node --import tsx build.ts",
        "Error: EACCES: permission denied, mkdir 'build'\n    at async Object.mkdir",
    )
    problem = environment_problem(build, "v24.22.3")
    assert problem is not None and problem.kind == "sandbox" and "mkdir 'build'" in problem.message
    assert environment_problem(_record("EACCES: permission denied, mkdir 'x'", status="passed"),
                               None) is None  # fmt: skip
