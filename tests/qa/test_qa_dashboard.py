"""The QA dashboard page under AppTest: seeded from a real run, empty, and a damaged artefact."""

from __future__ import annotations

from pathlib import Path

import pytest
from qa_seed import PROJECT_ROOT, SPEC_KEY, seed_qa
from streamlit.testing.v1 import AppTest

from streamlit_app import qa_data

PAGE = PROJECT_ROOT / "streamlit_app" / "app_pages" / "qa.py"
TIMEOUT = 90


@pytest.fixture(scope="module")
def seeded_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_qa(tmp_path_factory.mktemp("qa") / "artefacts")


@pytest.fixture
def seeded(seeded_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AGENTOPS_ARTEFACT_ROOT", str(seeded_root))
    return seeded_root


def _run() -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_dashboard_shows_score_heatmap_traceability_and_discrepancies(seeded: Path) -> None:
    at = _run()
    overview = at.dataframe[0].value.set_index("spec")
    assert overview.loc[SPEC_KEY, "completion"] == 60.0
    assert overview.loc[SPEC_KEY, "untested"] == 5
    assert [m.value for m in at.metric] == ["60%"]
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # completion over time + heat map
    trace = at.dataframe[1].value
    assert set(trace["requirement"]) >= {"R1", "R9"}
    assert trace[trace["requirement"] == "R1"]["result"].tolist() == ["passed", "passed"]
    discrepancies = at.dataframe[2].value
    assert "Every MUST requirement has a passing test" in discrepancies["what"].tolist()


def test_drill_down_shows_the_junit_case_and_the_log(seeded: Path) -> None:
    at = _run()
    at.selectbox(key="qa_requirement").select("R6").run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert any("test_json_output_has_file_line_text · passed" in label for label in labels)
    cases = [j.value for j in at.json]
    assert any('"name": "test_json_output_has_file_line_text"' in str(c) for c in cases)
    assert any("10 passed" in c.value for c in at.code)
    at.selectbox(key="qa_requirement").select("R9").run()
    assert "R9 has no linked test" in [w.value for w in at.warning]


def test_heatmap_matrix_carries_rules(seeded: Path) -> None:
    data = qa_data.read_qa(str(seeded))
    factors, ids, levels, hover = qa_data.heatmap_matrix(data.scores[SPEC_KEY])
    assert factors[0] == "coverage" and ids[0] == "R1"
    row = ids.index("R9")
    assert levels[row][0] == 3 and "no test is linked" in hover[row][0]
    assert len(qa_data.history_rows(data)) == 2


def test_empty_store_says_how_to_get_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTOPS_ARTEFACT_ROOT", str(tmp_path / "none"))
    at = _run()
    text = " ".join(i.value for i in at.info)
    assert "make demo" in text and "agentops qa --spec PATH --repo PATH" in text
    assert not at.dataframe


def test_damaged_artefact_is_named_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "artefacts"
    (root / "qa_scores").mkdir(parents=True)
    (root / "qa_scores" / "broken.json").write_text("{not json")
    monkeypatch.setenv("AGENTOPS_ARTEFACT_ROOT", str(root))
    at = _run()
    assert any("broken.json" in e.value and "rematerialise" in e.value for e in at.error)


STATUS_COLUMNS = ["passing", "failing", "pending", "not run", "untested"]


def test_overview_status_columns_add_up_to_the_requirements(
    seeded_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spec whose tests are queued (day one of the demo) is all pending: the row must say so
    instead of passing + failing + untested = 0 of 16."""
    from agentops_pipelines.artefacts import ArtefactStore
    from agentops_pipelines.qa.score_models import QAScores

    scores = ArtefactStore(seeded_root).read_model("qa_scores", SPEC_KEY, QAScores)
    assert scores is not None
    waiting = scores.model_copy(
        update={
            "requirements": [
                r.model_copy(update={"status": "pending"}) for r in scores.requirements
            ]
        }
    )
    root = tmp_path / "artefacts"
    ArtefactStore(root).write_model("qa_scores", SPEC_KEY, waiting)
    monkeypatch.setenv("AGENTOPS_ARTEFACT_ROOT", str(root))
    at = _run()
    row = at.dataframe[0].value.set_index("spec").loc[SPEC_KEY]
    assert row["pending"] == row["requirements"] == len(scores.requirements)
    assert sum(row[c] for c in STATUS_COLUMNS) == row["requirements"]
