from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.planning import PlanDraft, PlanInputError, TaskGraph, plan_spec
from agentops_pipelines.settings import load_settings
from tests.support.planning_factories import spec_doc

KEY = "billing/spec.md"


def test_plan_spec_writes_both_artefacts(tmp_path: Path) -> None:
    settings = load_settings({"AGENTOPS_HOME": str(tmp_path)})
    store = ArtefactStore(settings.artefact_root)
    store.write_model("spec_document", KEY, spec_doc())
    result = plan_spec(KEY, None, stack={"language": "python"}, settings=settings)
    assert result.plan.template_id == "data_pipeline"  # 'daily', 'batch', 'period' in the spec
    assert store.read_model("technical_plan", KEY, PlanDraft) == result.plan
    stored = store.read_model("task_graph", KEY, TaskGraph)
    assert stored is not None and stored.hash == result.hash
    assert "- [ ] `deploy`" in result.markdown()


def test_plan_spec_dry_run_writes_nothing(tmp_path: Path) -> None:
    settings = load_settings({"AGENTOPS_HOME": str(tmp_path)})
    ArtefactStore(settings.artefact_root).write_model("spec_document", KEY, spec_doc())
    plan_spec(KEY, "cli_library", settings=settings, write=False)
    assert ArtefactStore(settings.artefact_root).keys("task_graph") == []


def test_plan_spec_unknown_spec_says_how_to_fix(tmp_path: Path) -> None:
    settings = load_settings({"AGENTOPS_HOME": str(tmp_path)})
    with pytest.raises(PlanInputError, match="materialise spec_document"):
        plan_spec("missing.md", "rest_service", settings=settings)
