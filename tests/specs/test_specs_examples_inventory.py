"""examples/README.md's inventory table against the parser: counts, and no false gaps.

The README counts with plain grep; the parser must agree, and a spec the README calls clean
("deliberate gaps: no") must get no "has no acceptance criteria" warning.
"""

from __future__ import annotations

import re

import pytest

from agentops_pipelines.settings import BUNDLED_SPECS
from agentops_pipelines.specs.checks import check_acceptance_criteria
from agentops_pipelines.specs.parsing.parse import parse_spec

README = BUNDLED_SPECS.parent / "README.md"
_ROW = re.compile(
    r"^\| `(?P<path>[^`]+)` \| (?P<fmt>[\w-]+) \| (?P<reqs>\d+)[^|]*"
    r"\| (?P<crit>\d+) \| (?P<gaps>[^|]+) \|$"
)


def _rows() -> list[dict[str, str]]:
    rows = [m.groupdict() for m in map(_ROW.match, README.read_text().splitlines()) if m]
    assert len(rows) == 16, "the inventory table of examples/README.md lists 16 specs"
    return rows


ROWS = _rows()


@pytest.mark.parametrize("row", ROWS, ids=[r["path"] for r in ROWS])
def test_readme_counts_match_the_parser(row: dict[str, str]) -> None:
    doc = parse_spec(row["path"], (BUNDLED_SPECS / row["path"]).read_text())
    assert doc.format.value == row["fmt"]
    assert len(doc.requirements) == int(row["reqs"])
    assert doc.criteria_count == int(row["crit"])


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r["gaps"].strip() in {"no", "PII sample"}], ids=lambda r: r["path"]
)
def test_clean_specs_get_no_missing_criteria_warning(row: dict[str, str]) -> None:
    doc = parse_spec(row["path"], (BUNDLED_SPECS / row["path"]).read_text())
    assert [f.message for f in doc.findings if f.code == "missing-acceptance-criteria"] == []
    assert check_acceptance_criteria(doc).passed


def test_planted_missing_criteria_are_still_found() -> None:
    expected = {
        "account-settings-page/spec.md": ["US-3"],
        "log-search-cli/spec.md": ["R5", "R7", "R8"],
        "file-upload-service/requirements.md": ["REQ-4"],
    }
    for path, ids in expected.items():
        doc = parse_spec(path, (BUNDLED_SPECS / path).read_text())
        assert check_acceptance_criteria(doc).metadata["missing"] == ids, path
