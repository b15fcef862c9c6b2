"""What `agentops plan SPEC_ID --template T` runs: plan a stored spec and save both artefacts."""

from __future__ import annotations

from pydantic import BaseModel

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.planning.builder import build_plan
from agentops_pipelines.planning.exports import graph_to_markdown, plan_to_markdown
from agentops_pipelines.planning.graph_builder import build_task_graph
from agentops_pipelines.planning.graph_models import TaskGraph
from agentops_pipelines.planning.models import PlanDraft
from agentops_pipelines.planning.spec_input import (
    PLAN_KIND,
    TASK_GRAPH_KIND,
    load_spec_document,
)
from agentops_pipelines.planning.suggest import suggest_template
from agentops_pipelines.settings import Settings, get_settings


class PlanResult(BaseModel):
    plan: PlanDraft
    task_graph: TaskGraph
    hash: str

    def markdown(self) -> str:
        return plan_to_markdown(self.plan) + "\n" + graph_to_markdown(self.task_graph)


def plan_spec(
    spec_id: str,
    template: str | None = None,
    stack: dict[str, str] | None = None,
    settings: Settings | None = None,
    write: bool = True,
) -> PlanResult:
    """Plan the stored spec_document `spec_id`; with write=True store plan and graph artefacts.

    template None picks the best-fitting template (see suggest_template). Raises PlanInputError
    (unknown spec, template or stack option) with the input, the problem and the fix.
    """
    cfg = settings or get_settings()
    doc = load_spec_document(cfg.artefact_root, spec_id)
    plan = build_plan(doc, template or suggest_template(doc), stack_choices=stack)
    graph = build_task_graph(plan)
    if write:
        store = ArtefactStore(cfg.artefact_root)
        store.write_model(PLAN_KIND, spec_id, plan)
        store.write_model(TASK_GRAPH_KIND, spec_id, graph)
    return PlanResult(plan=plan, task_graph=graph, hash=graph.hash)
