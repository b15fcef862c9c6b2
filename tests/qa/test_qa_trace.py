"""link_tests: explicit requirement links from Python markers, JUnit properties, names, comments."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.qa.evidence_links import TraceLink, link_tests
from agentops_pipelines.qa.junit import parse_junit

REQS = ["FR-001", "FR-002", "FR-003", "SC-001", "FR-010"]

PY_TESTS = '''
import pytest


@pytest.mark.requirement("FR-001")
def test_login():
    assert True


@pytest.mark.requirements(["FR-002", "FR-999"])
def test_logout():
    assert True


def test_fr_003_password_reset():
    """Covers SC-001: reset mail within a minute."""


class TestBilling:
    # FR-010: invoices are numbered
    def test_numbering(self):
        x = "FR-002 in a string is not a claim"
        assert x

    def test_unrelated(self):
        pass


def helper_fr_001():
    pass
'''

JS_TESTS = """describe('auth', () => {
  // FR-002: logout clears the session
  it('logs out', () => {});

  it('FR-003 resets the password', () => {});
  /* no requirement here */
  it('does FR-0010 nothing', () => {});
});
"""

JUNIT = b"""<testsuite name="s">
  <testcase classname="tests.test_auth" name="test_login">
    <properties><property name="requirement" value="FR-001"/></properties>
  </testcase>
  <testcase classname="tests.test_auth" name="test_many">
    <properties><property name="requirements" value="FR-002, sc-001 FR-404"/></properties>
  </testcase>
  <testcase classname="tests.test_auth" name="test_fr_010_numbering"/>
</testsuite>"""


def _triples(links: list[TraceLink]) -> set[tuple[str, str, str, int | None]]:
    return {
        (ln.requirement_id, ln.test_id.split("::", 1)[-1], ln.source.kind, ln.source.line)
        for ln in links
    }


def test_python_markers_names_docstrings_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "test_auth.py"
    path.write_text(PY_TESTS)
    links = link_tests(REQS, path)
    assert _triples(links) == {
        ("FR-001", "test_login", "marker", 5),
        ("FR-002", "test_logout", "marker", 10),
        ("FR-003", "test_fr_003_password_reset", "name", 15),
        ("SC-001", "test_fr_003_password_reset", "docstring", 15),
        ("FR-010", "TestBilling::test_numbering", "comment", 20),
    }
    assert all(ln.source.file == str(path) for ln in links)


def test_comments_and_titles_in_other_languages(tmp_path: Path) -> None:
    path = tmp_path / "auth.test.js"
    path.write_text(JS_TESTS)
    assert _triples(link_tests(REQS, path)) == {
        ("FR-002", "logs out", "comment", 2),
        ("FR-003", "FR-003 resets the password", "name", 5),
    }


def test_junit_properties_and_names() -> None:
    report = parse_junit(JUNIT, "report.xml")
    links = link_tests(REQS, report)
    assert _triples(links) == {
        ("FR-001", "test_login", "junit_property", None),
        ("FR-002", "test_many", "junit_property", None),
        ("SC-001", "test_many", "junit_property", None),
        ("FR-010", "test_fr_010_numbering", "name", None),
    }
    assert {ln.source.file for ln in links} == {"report.xml"}


def test_sources_combine_and_unknown_ids_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "test_auth.py"
    path.write_text(PY_TESTS)
    links = link_tests(["FR-001"], path, parse_junit(JUNIT, "report.xml"))
    assert {ln.source.kind for ln in links} == {"marker", "junit_property"}
    assert {ln.requirement_id for ln in links} == {"FR-001"}


def test_no_requirements_no_links(tmp_path: Path) -> None:
    path = tmp_path / "test_auth.py"
    path.write_text(PY_TESTS)
    assert link_tests([], path) == []


def test_unparsable_python_falls_back_to_comments(tmp_path: Path) -> None:
    path = tmp_path / "test_broken.py"
    path.write_text("# FR-001: login\ndef test_login(:\n    pass\n")
    links = link_tests(REQS, path)
    assert _triples(links) == {("FR-001", "test_login", "comment", 1)}
