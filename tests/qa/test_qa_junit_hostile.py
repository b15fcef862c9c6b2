"""Malformed and hostile JUnit reports: a JUnitFormatError naming the file, never a traceback,
and one bad report costs only itself in test_results."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.qa.collect import collect_test_results
from agentops_pipelines.qa.junit import JUnitFormatError, parse_junit
from agentops_pipelines.qa.junit.parser import MAX_SUITE_DEPTH

GOOD = b'<testsuite name="s"><testcase classname="t" name="ok"/></testsuite>'


def _nested(depth: int) -> bytes:
    return (
        b"<testsuites>"
        + b'<testsuite name="n">' * depth
        + b"</testsuite>" * depth
        + b"</testsuites>"
    )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (_nested(1_000), "nested more than"),
        (b'<?xml version="1.0" encoding="x-no-such"?><testsuite/>', "unknown encoding"),
        (b'<?xml version="1.0" encoding="euc-jp"?><testsuite/>', "cannot be read"),
        (b'<?xml version="1.0" encoding="utf-16"?><testsuite/>', "not well-formed"),
    ],
    ids=["deep-nesting", "unknown-encoding", "multibyte-encoding", "wrong-encoding"],
)
def test_malformed_reports_raise_junit_format_error_naming_the_file(data, problem):
    with pytest.raises(JUnitFormatError, match=rf"^evil\.xml: .*{problem}"):
        parse_junit(data, "evil.xml")


def test_nesting_within_the_cap_still_parses_in_document_order():
    depth = MAX_SUITE_DEPTH
    data = (
        b"<testsuites>"
        + b'<testsuite name="s"><testcase name="c"/>' * depth
        + b"</testsuite>" * depth
        + b'<testsuite name="last"/></testsuites>'
    )
    report = parse_junit(data, "deep.xml")
    assert len(report.suites) == depth + 1 and report.totals.tests == depth
    assert report.suites[1].parent == "s" and report.suites[-1].name == "last"


def test_one_bad_report_does_not_fail_the_test_results_partition(tmp_path: Path):
    bad, good = tmp_path / "a-bad.xml", tmp_path / "b-good.xml"
    bad.write_bytes(_nested(1_000))
    good.write_bytes(GOOD)
    results = collect_test_results(
        "spec.md", tmp_path / "evidence", junit_files=[bad, good], run_tests=False
    )
    assert [r.name for r in results.records] == ["ok"]
    assert len(results.problems) == 1 and str(bad) in results.problems[0]
