"""`agentops qa --repo R` without --spec: every spec of the repository, each and the total."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentops_pipelines.cli.main import app
from agentops_pipelines.qa.whole_repo import discover_specs

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "examples" / "specs" / "account-settings-page" / "spec.md"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AGENTOPS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AGENTOPS_ENVS", str(tmp_path / "envs"))
    root = tmp_path / "repo"
    (root / "specs" / "001-settings").mkdir(parents=True)
    (root / "specs" / "001-settings" / "spec.md").write_text(SPEC.read_text())
    (root / "specs" / "001-settings" / "plan.md").write_text("# Plan\n\nnot a spec\n")
    (root / "specs" / "002-empty").mkdir()
    (root / "specs" / "002-empty" / "spec.md").write_text(
        "# Feature: Empty\n\n## Requirements\n\n- **FR-001**: System MUST log in.\n"
    )
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "r"\nversion = "0"\n')
    (root / "tests" / "test_settings.py").write_text(
        textwrap.dedent("""
        import pytest

        @pytest.mark.requirement("FR-001")
        def test_fr_001_profile():
            assert True

        @pytest.mark.requirement("FR-002")
        def test_fr_002_password():
            assert 1 == 2
    """)
    )
    (root / "tests" / "conftest.py").write_text(
        "def pytest_configure(config):\n"
        "    config.addinivalue_line('markers', 'requirement(ids): links')\n"
    )
    return root


def test_discovery_takes_feature_specs_not_companions(repo: Path) -> None:
    assert discover_specs(repo) == ["specs/001-settings/spec.md", "specs/002-empty/spec.md"]


def test_whole_repo_json_and_table(repo: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["qa", "--repo", str(repo), "--format", "json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout[done.stdout.index("{") :])
    specs = {s["spec"]: s for s in report["specs"]}
    assert set(specs) == {"specs/001-settings/spec.md", "specs/002-empty/spec.md"}
    assert specs["specs/001-settings/spec.md"]["statuses"].get("passing", 0) >= 1
    assert specs["specs/001-settings/spec.md"]["statuses"].get("failing", 0) >= 1
    assert report["tests_run"] == 2 and report["tests_with_verdict"] == 2
    assert 0 < report["completion_score"] < 1
    failed = next(e for e in report["evidence"] if e["outcome"] == "failed")
    assert "pytest" in report["commands"][failed["command"]] and failed["env"]
    assert failed["duration"] >= 0 and "assert 1 == 2" in failed["log"]
    table = runner.invoke(app, ["qa", "--repo", str(repo)])
    assert table.exit_code == 0, table.output
    assert "total" in table.output and "001-setting" in table.output  # folded to the width
    assert "2 verdicts reused" in table.output  # second run: nothing changed


def test_needs_spec_or_repo() -> None:
    done = CliRunner().invoke(app, ["qa"])
    assert done.exit_code != 0 and "--spec FILE, --repo DIR" in done.output
