"""Plain-value summaries of plans and graphs, for asset metadata and API responses."""

from __future__ import annotations

from typing import TypedDict

from agentops_pipelines.planning.graph_models import TaskGraph
from agentops_pipelines.planning.models import PlanDraft


class PlanSummary(TypedDict):
    template: str
    requirements: int
    components: int
    stack: dict[str, str]
    sections: dict[str, list[str]]
    uncovered: list[str]
    llm_enriched: bool


class GraphSummary(TypedDict):
    hash: str
    task_count: int
    edge_count: int
    group_sizes: list[int]


def plan_summary(plan: PlanDraft) -> PlanSummary:
    return {
        "template": f"{plan.template_id} v{plan.template_version}",
        "requirements": len(plan.requirement_ids),
        "components": len(plan.components),
        "stack": {c.category: f"{c.chosen.id} ({c.chosen_by})" for c in plan.stack},
        "sections": {s.name: s.requirement_ids for s in plan.sections},
        "uncovered": plan.uncovered(),
        "llm_enriched": plan.llm_enriched,
    }


def graph_summary(graph: TaskGraph) -> GraphSummary:
    return {
        "hash": graph.hash,
        "task_count": len(graph.tasks),
        "edge_count": len(graph.edges),
        "group_sizes": [len(g) for g in graph.parallel_groups()],
    }
