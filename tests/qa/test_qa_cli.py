"""`agentops qa`: the four spec formats, a Python repo run in the sandbox, a TS repo via JUnit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qa_factories import write_repo
from typer.testing import CliRunner

from agentops_pipelines.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "examples" / "specs"
FORMATS = {
    "spec-kit": ("account-settings-page/spec.md", "FR-001", "FR-002"),
    "kiro": ("auth-login-mfa/requirements.md", "REQ-1", "REQ-2"),
    "openspec": ("feature-flags/spec.md", "REQ-9c2ef18e", "REQ-074c1d79"),
    "plain": ("log-search-cli/spec.md", "R1", "R2"),
}
JEST_XML = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="2" failures="1">
  <testsuite name="__tests__/flags.test.ts" tests="2" failures="1" time="0.1">
    <testcase classname="flags" name="flags creates a flag" time="0.01"/>
    <testcase classname="flags" name="flags REQ-074c1d79 rollout is sticky" time="0.02">
      <failure message="expected true">AssertionError: expected true</failure>
    </testcase>
  </testsuite>
</testsuites>
"""


def _invoke(*args: str) -> tuple[int, str]:
    # Wide: typer's error panel and rich tables would wrap long tmp paths (longer under xdist).
    result = CliRunner().invoke(app, ["qa", *args], env={"COLUMNS": "250"}, terminal_width=250)
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_qa_json_for_every_spec_format(fmt: str, tmp_path: Path) -> None:
    spec, first, second = FORMATS[fmt]
    repo = write_repo(
        tmp_path / "repo",
        {
            "tests/test_feature.py": (
                "import pytest\n\n\n"
                f'@pytest.mark.requirement("{first}")\n'
                "def test_first():\n    assert True\n\n\n"
                f"# {second}: not working yet\n"
                "def test_second():\n    assert 1 == 2\n"
            )
        },
    )
    code, output = _invoke("--spec", str(SPECS / spec), "--repo", str(repo), "--format", "json")
    assert code == 0, output
    data = json.loads(output)
    assert {"requirements", "completion_score", "risk"} <= set(data)
    status = {r["id"]: r for r in data["requirements"]}
    assert status[first]["status"] == "passing"
    assert status[first]["tests"][0]["link"] == "marker"
    assert status[second]["status"] == "failing"
    assert 0 < data["completion_score"] < 1
    assert {row["requirement"] for row in data["risk"]} == set(status)
    assert data["risk"][0]["cells"]["coverage"]["rule"]


def test_qa_typescript_repo_with_jest_junit(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path / "ts-repo",
        {
            "src/flags.ts": "export const ok = true;\n",
            "__tests__/flags.test.ts": (
                "describe('flags', () => {\n"
                "  // REQ-9c2ef18e: flag definition\n"
                "  it('creates a flag', () => { expect(ok).toBe(true); });\n"
                "  it('REQ-074c1d79 rollout is sticky', () => {});\n"
                "});\n"
            ),
        },
    )
    junit = tmp_path / "jest-junit.xml"
    junit.write_text(JEST_XML)
    spec = str(SPECS / "feature-flags" / "spec.md")
    code, output = _invoke(
        "--spec", spec, "--repo", str(repo), "--junit", str(junit), "--format", "json"
    )
    assert code == 0, output
    status = {r["id"]: r for r in json.loads(output)["requirements"]}
    assert status["REQ-9c2ef18e"]["status"] == "passing"
    assert status["REQ-9c2ef18e"]["tests"][0]["link"] == "comment"
    assert status["REQ-074c1d79"]["status"] == "failing"
    assert status["REQ-777c35a9"]["status"] == "untested"


def test_qa_table_output_on_a_sample_repo() -> None:
    spec = str(SPECS / "log-search-cli" / "spec.md")
    code, output = _invoke("--spec", spec, "--repo", str(ROOT / "examples" / "repos" / "logq"))
    assert code == 0, output
    assert "completion 60%" in output
    assert "must_has_passing_test" in output and "R9" in output


def test_qa_errors_name_the_input(tmp_path: Path) -> None:
    code, output = _invoke("--spec", str(tmp_path / "missing.md"), "--no-run")
    flat = output.replace("\n", "")  # rich wraps a long tmp path (longer under pytest-xdist)
    assert code == 2 and "missing.md" in flat and "does not exist" in output
    spec = str(SPECS / "log-search-cli" / "spec.md")
    code, output = _invoke("--spec", spec, "--format", "xml")
    assert code == 2 and "table, json" in output
    code, output = _invoke("--spec", spec, "--junit", str(tmp_path / "nope.xml"))
    assert code == 2 and "nope.xml" in output


def test_qa_corrupt_junit_is_reported_not_fatal(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xml"
    bad.write_text("<testsuite><testcase")
    spec = str(SPECS / "log-search-cli" / "spec.md")
    code, output = _invoke("--spec", spec, "--junit", str(bad), "--format", "json")
    assert code == 0
    problems = json.loads(output)["problems"]
    assert any("broken.xml" in p and "not well-formed" in p for p in problems)
