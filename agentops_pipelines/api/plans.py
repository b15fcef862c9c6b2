"""Plan builder endpoints: build a plan on request, read the plans the assets stored."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field, model_validator

from agentops_pipelines.api.deps import get_settings
from agentops_pipelines.artefacts import ArtefactStore, artefact_root_for
from agentops_pipelines.planning import (
    TEMPLATES,
    PlanDraft,
    PlanInputError,
    TaskGraph,
    TaskGraphError,
    build_plan,
    build_task_graph,
)
from agentops_pipelines.planning.spec_input import (
    PLAN_KIND,
    TASK_GRAPH_KIND,
    load_spec_document,
    parse_spec_text,
)
from agentops_pipelines.planning.template_registry import TemplateId
from agentops_pipelines.settings import Settings
from agentops_pipelines.specs.models import SpecInputError
from agentops_pipelines.store.acting_workspace import active_workspace

router = APIRouter(prefix="/api", tags=["plans"])
SettingsDep = Annotated[Settings, Depends(get_settings)]


class StackRequest(BaseModel):
    """Stack choices; any left out are ranked by fit and the ranking is returned."""

    model_config = ConfigDict(extra="forbid")
    language: str | None = None
    framework: str | None = None
    storage: str | None = None
    deployment: str | None = None


class PlanRequest(BaseModel):
    spec_text: str | None = Field(default=None, description="Markdown of a spec to plan")
    spec_id: str | None = Field(
        default=None,
        description="A stored spec (e.g. 'billing/spec.md'); with spec_text, the name to give it",
    )
    template: TemplateId = Field(description=f"One of {sorted(TEMPLATES)}")
    stack: StackRequest = Field(default_factory=StackRequest)

    @model_validator(mode="after")
    def _needs_a_spec(self) -> PlanRequest:
        if not (self.spec_text or self.spec_id):
            raise ValueError("send spec_text (markdown) or spec_id (a stored spec)")
        return self


class PlanResponse(BaseModel):
    plan: PlanDraft
    task_graph: TaskGraph
    hash: str


@router.post(
    "/plan-builder",
    response_model=PlanResponse,
    responses={
        400: {"description": "Body is not valid JSON"},
        404: {"description": "Unknown spec_id"},
        413: {"description": "Body larger than the limit (1 MiB by default)"},
        422: {"description": "Input that cannot be planned; the detail says what to fix"},
    },
)
def plan_builder(request: PlanRequest, settings: SettingsDep) -> PlanResponse:
    """Plan a spec with one template and return the plan, its task graph and the graph hash."""
    try:
        if request.spec_text:
            doc = parse_spec_text(request.spec_id or "pasted/spec.md", request.spec_text)
        else:
            doc = load_spec_document(workspace_artefacts(settings), request.spec_id or "")
        choices = request.stack.model_dump(exclude_none=True)
        plan = build_plan(doc, request.template, stack_choices=choices or None)
        graph = build_task_graph(plan)
    except PlanInputError as err:
        status = 404 if err.field == "spec_id" else 422
        raise HTTPException(status, detail=str(err)) from err
    except (SpecInputError, TaskGraphError) as err:
        raise HTTPException(422, detail=str(err)) from err
    return PlanResponse(plan=plan, task_graph=graph, hash=graph.hash)


def workspace_artefacts(settings: Settings) -> Path:
    """The caller's workspace's artefacts: another workspace's plan is a 404 here."""
    return artefact_root_for(settings.artefact_root, settings.workspace, active_workspace())


def _stored(settings: Settings, kind: str, spec_id: str, model: type) -> object:
    """Both read endpoints answer 404 with the command that produces the missing artefact."""
    found = ArtefactStore(workspace_artefacts(settings)).read_model(kind, spec_id, model)
    if found is None:
        raise HTTPException(
            404,
            detail=f"no {kind} for spec {spec_id!r}: materialise {kind} for that partition "
            f"(or run `agentops plan {spec_id} --template T`)",
        )
    return found


_KEY_ERROR: dict[int | str, dict[str, Any]] = {
    422: {"description": "spec id too long to name an artefact"}
}


@router.get(
    "/plans/{spec_id:path}/tasks", response_model=TaskGraph, responses={404: {}, **_KEY_ERROR}
)
def get_task_graph(spec_id: str, settings: SettingsDep) -> object:
    """The stored task graph of a spec."""
    return _stored(settings, TASK_GRAPH_KIND, spec_id, TaskGraph)


@router.get("/plans/{spec_id:path}", response_model=PlanDraft, responses={404: {}, **_KEY_ERROR})
def get_plan(spec_id: str, settings: SettingsDep) -> object:
    """The stored technical plan of a spec."""
    return _stored(settings, PLAN_KIND, spec_id, PlanDraft)
