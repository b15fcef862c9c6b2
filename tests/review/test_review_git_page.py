"""The Git page shows each reviewed PR: verdict, findings on diff lines, requirements, test
and completion delta (AppTest over a review report kept under the artefact root)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agentops_pipelines.review.models import (
    CompletionDelta,
    Finding,
    ReviewReport,
    TestDelta,
    TouchedRequirement,
)
from agentops_pipelines.review.pr_review import save_report

PAGE = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages" / "git.py"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("AGENTOPS_HOME", str(home))
    monkeypatch.setenv("AGENTOPS_DB_URL", f"sqlite:///{home / 'app.db'}")
    monkeypatch.delenv("AGENTOPS_ARTEFACT_ROOT", raising=False)
    monkeypatch.delenv("AGENTOPS_GITHUB_TOKEN", raising=False)
    return home


def test_git_page_shows_pr_review_requirements_and_test_delta(home: Path) -> None:
    save_report(
        home / "artefacts",
        ReviewReport(
            repo="acme/logq",
            number=12,
            base_sha="0" * 40,
            head_sha="abcdef1234567890" + "0" * 24,
            files_changed=["logq/search.py"],
            requirements=[TouchedRequirement(id="R4", spec_id="log-search-cli/spec.md", must=True)],
            findings=[
                Finding(
                    kind="newly_failing",
                    severity="error",
                    message="test `tests/test_search.py::test_level` now fails",
                    file="logq/search.py",
                    line=17,
                    position=5,
                    requirement_id="R4",
                )
            ],
            tests=TestDelta(ran=True, newly_failing=["tests.test_search.test_level"]),
            completion=[
                CompletionDelta(
                    spec_id="log-search-cli/spec.md",
                    measured=True,
                    base=0.6,
                    head=0.5,
                    regressed=["R4"],
                )
            ],
            must_regressed=["R4"],
        ),
    )
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception
    assert any(e.label.startswith("acme/logq#12 · abcdef123456 · flagged") for e in at.expander)
    frames = [df.value for df in at.dataframe]
    findings = next(f for f in frames if "kind" in f.columns)
    assert findings.iloc[0]["kind"] == "newly_failing" and findings.iloc[0]["requirement"] == "R4"
    assert any(
        "requirement" in f.columns and "R4" in set(f["requirement"])
        for f in frames
        if "MUST" in f.columns
    )
    assert any("newly failing" in f.columns and f.iloc[0]["newly failing"] == 1 for f in frames)
    assert any("60% → 50%" in m.value for m in at.markdown)
