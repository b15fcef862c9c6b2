"""Technical plan and task graph, one partition per spec."""

from collections.abc import Iterator

import dagster as dg

from agentops_pipelines.defs.partitions import spec_partitions
from agentops_pipelines.planning import (
    PlanDraft,
    PlanInputError,
    TaskGraph,
    build_plan,
    build_task_graph,
    suggest_template,
    task_graph_problems,
)
from agentops_pipelines.planning.enrich_llm import router_enricher
from agentops_pipelines.planning.metadata import graph_summary, plan_summary
from agentops_pipelines.resources.llm import LLMRouterResource
from agentops_pipelines.specs.models import SpecDocument


class PlanConfig(dg.Config):
    template: str = ""  # empty: the template whose keywords fit the spec best
    stack: dict[str, str] = {}
    enrich_with_llm: bool = False  # rewrite prose sections through the LLM router


def _usage(llm: LLMRouterResource, run_id: str, enabled: bool) -> dict[str, dg.MetadataValue]:
    """LLM usage of this run (calls, tokens, cost, breaker states) when enrichment was on."""
    if not enabled:
        return {}
    return {"llm_usage": dg.MetadataValue.json(llm.usage_metadata(run_id))}


@dg.asset(
    partitions_def=spec_partitions,
    group_name="planning",
    kinds={"python"},
    code_version="1",
    automation_condition=dg.AutomationCondition.eager(),
)
def technical_plan(
    context: dg.AssetExecutionContext,
    spec_document: SpecDocument,
    config: PlanConfig,
    llm: LLMRouterResource,
) -> dg.Output[PlanDraft]:
    """Template, ranked stack and components for every requirement of the spec."""
    template = config.template or suggest_template(spec_document)
    enrich = (
        router_enricher(llm.get_router(), spec_document.spec_id, context.run_id)
        if config.enrich_with_llm
        else None
    )
    try:
        plan = build_plan(
            spec_document, template, stack_choices=config.stack or None, enrich=enrich
        )
    except PlanInputError as err:
        raise dg.Failure(description=str(err), allow_retries=False) from err
    summary = plan_summary(plan)
    return dg.Output(
        plan,
        metadata={
            "template": summary["template"],
            "requirements": len(plan.requirement_ids),
            "components": len(plan.components),
            "stack": dg.MetadataValue.json(summary["stack"]),
            "sections": dg.MetadataValue.json(summary["sections"]),
            "uncovered": dg.MetadataValue.json(summary["uncovered"]),
            "llm_enriched": plan.llm_enriched,
            **_usage(llm, context.run_id, enabled=enrich is not None),
        },
    )


@dg.asset(
    partitions_def=spec_partitions,
    group_name="planning",
    kinds={"python"},
    code_version="1",
    automation_condition=dg.AutomationCondition.eager(),
    check_specs=[dg.AssetCheckSpec("task_graph_valid", asset="task_graph", blocking=True)],
)
def task_graph(technical_plan: PlanDraft) -> Iterator[dg.Output[TaskGraph] | dg.AssetCheckResult]:
    """Deterministic DAG of code, test, package and deploy tasks with a stable hash."""
    graph = build_task_graph(technical_plan, validate=False)  # the check reports problems
    summary = graph_summary(graph)
    yield dg.Output(
        graph,
        data_version=dg.DataVersion(graph.hash),
        metadata={
            "hash": graph.hash,
            "task_count": len(graph.tasks),
            "parallel_groups": dg.MetadataValue.json(summary["group_sizes"]),
        },
    )
    problems = task_graph_problems(graph)
    yield dg.AssetCheckResult(
        check_name="task_graph_valid",
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"problems": dg.MetadataValue.json(problems)},
    )
