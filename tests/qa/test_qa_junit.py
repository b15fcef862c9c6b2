"""parse_junit against real reports: dorny/test-reporter's expected counts and surefire's files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agentops_pipelines.qa.junit import JUnitFormatError, TestReport, parse_junit

JUNIT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "ci_reports" / "junit"
DORNY = JUNIT / "dorny-test-reporter"
SUREFIRE = JUNIT / "maven-surefire"

# dorny's summary row: |[fixtures/x.xml](#user-content-r0)|5 ✅|1 ❌|1 ⚪|16s|
_ROW = re.compile(
    r"^\|\[(fixtures/[^\]]+)\]\(#user-content-r0\)\|(\d*)[^|]*\|(\d*)[^|]*\|(\d*)[^|]*\|"
)


def _dorny_expectations() -> list[tuple[str, int, int, int]]:
    rows = []
    for md in sorted((DORNY / "expected-outputs").glob("*.md")):
        for line in md.read_text(encoding="utf-8").splitlines():
            if match := _ROW.match(line):
                path, passed, failed, skipped = match.groups()
                rows.append((path, int(passed or 0), int(failed or 0), int(skipped or 0)))
                break
    return rows


DORNY_EXPECTED = _dorny_expectations()


def test_every_dorny_expected_output_was_read() -> None:
    assert len(DORNY_EXPECTED) == len(list((DORNY / "expected-outputs").glob("*.md"))) == 18


@pytest.mark.parametrize(
    ("fixture", "passed", "failed", "skipped"), DORNY_EXPECTED, ids=lambda v: str(v)
)
def test_dorny_fixture_matches_expected_counts(
    fixture: str, passed: int, failed: int, skipped: int
) -> None:
    # dorny counts error as failed and pytest's xfail as skipped; we keep them apart.
    report = parse_junit(DORNY / fixture, fixture)
    totals = report.totals
    assert (totals.passed, totals.failed + totals.errors, totals.skipped + totals.xfail) == (
        passed,
        failed,
        skipped,
    )
    assert totals.tests == passed + failed + skipped == len(report.cases)


# Reports with no dorny expected output: counts read by hand from the files.
OTHER_DORNY = {
    "fixtures/empty/java-junit.xml": (0, 0, 0, 0),
    "fixtures/empty/jest-junit-empty-testsuite.xml": (0, 0, 0, 0),
    "fixtures/empty/jest-junit.xml": (0, 0, 0, 0),
    "fixtures/empty/phpunit-empty.xml": (0, 0, 0, 0),
    "fixtures/external/java/empty_failures.xml": (3, 2, 1, 0),
    "fixtures/phpunit/phpunit-paths.xml": (6, 0, 6, 0),
}


@pytest.mark.parametrize("fixture", sorted(OTHER_DORNY))
def test_other_dorny_reports(fixture: str) -> None:
    totals = parse_junit(DORNY / fixture).totals
    assert (totals.tests, totals.passed, totals.failed, totals.skipped) == OTHER_DORNY[fixture]


def test_every_dorny_xml_is_covered_or_rejected() -> None:
    covered = {f for f, *_ in DORNY_EXPECTED} | set(OTHER_DORNY) | set(NOT_JUNIT_DORNY)
    on_disk = {str(p.relative_to(DORNY)) for p in DORNY.rglob("*.xml")}
    assert on_disk == covered


NOT_JUNIT_DORNY = ["fixtures/dotnet-nunit.xml", "fixtures/external/nunit-sample.xml"]


@pytest.mark.parametrize("fixture", NOT_JUNIT_DORNY)
def test_nunit_is_rejected_with_a_clear_error(fixture: str) -> None:
    with pytest.raises(
        JUnitFormatError, match=r"nunit.*root element is <test-run>.*not a JUnit XML"
    ):
        parse_junit(DORNY / fixture, fixture)


def test_pytest_report_counts_contents_and_exposes_declared_count() -> None:
    report = parse_junit(DORNY / "fixtures/python-xunit-pytest.xml", "python-xunit-pytest.xml")
    assert report.totals.tests == 10
    assert report.declared_tests == 15
    assert report.declared_mismatch
    by_name = {c.name: c for c in report.cases}
    assert by_name["test_expected_failure"].status == "xfail"
    assert by_name["test_always_skip"].status == "skipped"
    assert by_name["test_always_fail"].message == "assert False"
    assert by_name["test_with_record_property"].property_values("example_key") == ["1"]
    assert report.suites[0].properties[0].name == "custom_prop"


def test_junit4_complete_fields() -> None:
    report = parse_junit(DORNY / "fixtures/external/java/junit4-complete.xml")
    cases = {c.name: c for c in report.cases}
    assert cases["testCase6"].status == "error"
    assert cases["testCase6"].failure_type == "ArithmeticError"
    assert (cases["testCase1"].file, cases["testCase1"].line) == ("tests/registration.code", 24)
    assert cases["testCase7"].system_out == "Data written to standard out."
    assert cases["testCase8"].property_values("attachment") == [
        "screenshots/dashboard.png",
        "screenshots/users.png",
    ]
    description = cases["testCase8"].property_values("description")[0]
    assert description.startswith("This text describes") and description.endswith("works.")
    assert all(c.time >= 0 for c in report.cases)


_F = "fixture_testsuitexmlparser_TEST-"
_U = "unit_surefire-report-single-error_surefire-reports_TEST-"
SUREFIRE_EXPECTED = {
    # file: (tests, passed, failed, errors, skipped, flaky, reruns, declared)
    f"{_F}org.acme.FlakyTest.xml": (2, 2, 0, 0, 0, 1, 4, 1),
    f"{_F}org.apache.maven.surefire.test.FailingTest.xml": (2, 0, 2, 0, 0, 0, 0, 2),
    f"{_F}surefire.MyTest-enclosed-trimStackTrace.xml": (1, 0, 0, 1, 0, 0, 0, 1),
    f"{_F}surefire.MyTest-enclosed.xml": (1, 0, 0, 1, 0, 0, 0, 1),
    f"{_F}surefire.MyTest-nestedClass-trimStackTrace.xml": (1, 0, 0, 1, 0, 0, 0, 1),
    f"{_F}surefire.MyTest-nestedClass.xml": (1, 0, 0, 1, 0, 0, 0, 1),
    f"{_F}surefire.MyTest.xml": (1, 0, 0, 1, 0, 0, 0, 1),
    "unit_basic-surefire-report-test_surefire-reports_TEST-com.shape.CircleTest.xml": (
        8, 6, 1, 1, 0, 0, 0, 8,
    ),
    f"{_U}surefire.MyTest.xml": (1, 0, 0, 1, 0, 0, 0, 1),
}  # fmt: skip
NOT_JUNIT_SUREFIRE = {
    "fixture_testsuitexmlparser_failsafe-summary-old.xml": "failsafe-summary",
    "fixture_testsuitexmlparser_failsafe-summary.xml": "failsafe-summary",
    "unit_surefire-report-single-error_plugin-config.xml": "project",
}


def test_every_surefire_file_is_covered() -> None:
    on_disk = {p.name for p in SUREFIRE.iterdir()}
    assert on_disk == set(SUREFIRE_EXPECTED) | set(NOT_JUNIT_SUREFIRE)


@pytest.mark.parametrize("name", sorted(SUREFIRE_EXPECTED))
def test_surefire_counts(name: str) -> None:
    report = parse_junit(SUREFIRE / name, name)
    t = report.totals
    got = (
        t.tests,
        t.passed,
        t.failed,
        t.errors,
        t.skipped,
        t.flaky,
        t.reruns,
        report.declared_tests,
    )
    assert got == SUREFIRE_EXPECTED[name]


@pytest.mark.parametrize("name", sorted(NOT_JUNIT_SUREFIRE))
def test_surefire_non_junit_files_are_rejected(name: str) -> None:
    root = NOT_JUNIT_SUREFIRE[name]
    with pytest.raises(JUnitFormatError, match=rf"^{re.escape(name)}: root element is <{root}>"):
        parse_junit(SUREFIRE / name, name)


def test_surefire_flaky_reruns_are_kept() -> None:
    report = parse_junit(SUREFIRE / "fixture_testsuitexmlparser_TEST-org.acme.FlakyTest.xml")
    flaky = next(c for c in report.cases if c.name == "testFlaky")
    assert flaky.flaky and flaky.status == "passed"
    assert [r.kind for r in flaky.reruns] == ["flakyFailure"] * 3 + ["flakyError"]
    assert flaky.reruns[0].message == "expected: <1> but was: <0>"
    assert flaky.reruns[0].stack_trace.startswith("org.opentest4j.AssertionFailedError")
    assert "code-with-quarkus" in flaky.reruns[0].system_out
    assert not next(c for c in report.cases if c.name == "testStable").flaky


def test_surefire_nested_class_keeps_classname() -> None:
    name = "fixture_testsuitexmlparser_TEST-surefire.MyTest-enclosed.xml"
    case = parse_junit(SUREFIRE / name).cases[0]
    assert case.classname == "surefire.MyTest$A"
    assert case.message == "java.lang.IndexOutOfBoundsException"
    assert case.details.startswith("java.lang.RuntimeException")


def test_rerun_failure_stays_failed() -> None:
    xml = b"""<testsuite name="s" tests="1"><testcase classname="C" name="t" time="-1">
      <failure message="boom"/><rerunFailure message="boom again"><stackTrace>trace</stackTrace>
      </rerunFailure></testcase></testsuite>"""
    case = parse_junit(xml, "rerun.xml").cases[0]
    assert case.status == "failed" and not case.flaky
    assert case.reruns[0].kind == "rerunFailure" and case.reruns[0].stack_trace == "trace"
    assert case.time == 0.0


def test_long_output_is_trimmed() -> None:
    body = "x" * 50_000
    xml = f"<testsuite><testcase name='t'><system-out>{body}END</system-out></testcase></testsuite>"
    out = parse_junit(xml.encode(), "long.xml").cases[0].system_out
    assert len(out) < 5_000 and out.endswith("END")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"<testsuite><testcase name='t'>", "not well-formed"),
        (b"<html><body/></html>", "root element is <html>"),
        (
            b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b"<testsuite><testcase name='&b;'/></testsuite>",
            "refused unsafe XML",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<testsuite><testcase name='&x;'/></testsuite>",
            "refused unsafe XML",
        ),
    ],
    ids=["empty", "truncated", "html", "entity-bomb", "external-entity"],
)
def test_corrupt_input_names_the_file(data: bytes, problem: str) -> None:
    with pytest.raises(JUnitFormatError, match=rf"^upload\.xml: .*{problem}"):
        parse_junit(data, "upload.xml")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(JUnitFormatError, match="cannot read the report"):
        parse_junit(tmp_path / "nope.xml")


def test_report_round_trips_as_json() -> None:
    report = parse_junit(DORNY / "fixtures/jest-junit.xml")
    assert TestReport.model_validate_json(report.model_dump_json()) == report
