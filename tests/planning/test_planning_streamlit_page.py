from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agentops_pipelines.artefacts import ArtefactStore
from tests.support.planning_factories import spec_doc

PAGE = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages" / "plan_builder.py"


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AGENTOPS_HOME", str(tmp_path))
    monkeypatch.delenv("AGENTOPS_ARTEFACT_ROOT", raising=False)
    return tmp_path


def test_page_plans_a_stored_spec(home: Path) -> None:
    ArtefactStore(home / "artefacts").write_model("spec_document", "billing/spec.md", spec_doc())
    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert not at.exception
    assert at.selectbox[0].value == "billing/spec.md"
    assert any(m.label == "Tasks" for m in at.metric)
    at.selectbox(key="stack-storage").set_value("sqlite").run()
    assert not at.exception
    assert any("SQLite" in md.value and "your choice" in md.value for md in at.markdown)


def test_page_without_specs_says_what_to_do(home: Path) -> None:
    at = AppTest.from_file(str(PAGE), default_timeout=60).run()
    assert not at.exception
    assert "materialise spec_document" in at.info[0].value
