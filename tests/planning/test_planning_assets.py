from __future__ import annotations

from pathlib import Path

import dagster as dg

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.defs.assets.planning import PlanConfig, task_graph, technical_plan
from agentops_pipelines.defs.partitions import spec_partitions
from agentops_pipelines.planning import PlanDraft, TaskGraph, build_plan
from agentops_pipelines.resources.artefact_io import PydanticArtefactIOManager
from agentops_pipelines.resources.llm import LLMRouterResource
from agentops_pipelines.specs.models import SpecDocument
from tests.support.planning_factories import spec_doc

KEY = "billing/spec.md"


def offline_llm(tmp_path: Path) -> LLMRouterResource:
    return LLMRouterResource(db_url=f"sqlite:///{tmp_path / 'app.db'}")


def test_technical_plan_asset_returns_plan_with_section_metadata(tmp_path: Path) -> None:
    out = technical_plan(
        context=dg.build_asset_context(),
        spec_document=spec_doc(),
        config=PlanConfig(template="rest_service"),
        llm=offline_llm(tmp_path),
    )
    assert isinstance(out.value, PlanDraft)
    assert out.value.template_id == "rest_service"
    sections = out.metadata["sections"].value
    assert sections["data_model"] == ["FR-002"]


def test_technical_plan_picks_a_template_when_none_is_configured(tmp_path: Path) -> None:
    out = technical_plan(
        context=dg.build_asset_context(),
        spec_document=spec_doc(),
        config=PlanConfig(),
        llm=offline_llm(tmp_path),
    )
    assert out.value.template_id in {"rest_service", "data_pipeline", "web_feature", "cli_library"}


def test_task_graph_asset_yields_graph_and_passing_check() -> None:
    results = list(task_graph(technical_plan=build_plan(spec_doc(), "data_pipeline")))
    output, check = results
    assert isinstance(output.value, TaskGraph)
    assert output.metadata["hash"].value == output.value.hash
    assert output.metadata["task_count"].value == len(output.value.tasks)
    assert check.passed and check.check_name == "task_graph_valid"


def test_materialize_through_the_io_manager(tmp_path: Path) -> None:
    store = ArtefactStore(tmp_path)

    @dg.asset(name="spec_document", partitions_def=spec_partitions)
    def upstream() -> SpecDocument:
        """Stands in for the parser asset so this test only wires planning."""
        return spec_doc()

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(spec_partitions.name, [KEY])
    result = dg.materialize(
        [upstream, technical_plan, task_graph],
        resources={
            "io_manager": PydanticArtefactIOManager(root=str(tmp_path)),
            "llm": offline_llm(tmp_path),
        },
        partition_key=KEY,
        instance=instance,
    )
    assert result.success
    graph = store.read_model("task_graph", KEY, TaskGraph)
    plan = store.read_model("technical_plan", KEY, PlanDraft)
    assert graph is not None and plan is not None
    assert set(graph.requirement_ids) == {r.id for r in spec_doc().requirements}
    checks = result.get_asset_check_evaluations()
    assert [(c.check_name, c.passed) for c in checks] == [("task_graph_valid", True)]
    assert store.read_model("spec_document", KEY, SpecDocument) is not None


def test_check_fails_and_names_the_problem_when_the_plan_is_broken() -> None:
    plan = build_plan(spec_doc(), "rest_service")
    broken = plan.model_copy(update={"requirement_ids": [*plan.requirement_ids, "FR-404"]})
    output, check = list(task_graph(technical_plan=broken))
    assert not check.passed
    assert check.severity == dg.AssetCheckSeverity.ERROR
    problems = check.metadata["problems"].value
    assert any("FR-404" in p for p in problems)


def test_planning_definitions_resolve_with_the_shared_resources(tmp_path: Path) -> None:
    from agentops_pipelines.resources import build_resources
    from agentops_pipelines.settings import load_settings

    resources = build_resources(load_settings({"AGENTOPS_HOME": str(tmp_path)}))
    upstream = dg.AssetSpec("spec_document", partitions_def=spec_partitions)
    defs = dg.Definitions(assets=[upstream, technical_plan, task_graph], resources=resources)
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"technical_plan", "task_graph"} <= keys
    assert dg.AssetCheckKey(dg.AssetKey("task_graph"), "task_graph_valid") in graph.asset_check_keys
    assert graph.get(dg.AssetKey("task_graph")).parent_keys == {dg.AssetKey("technical_plan")}
