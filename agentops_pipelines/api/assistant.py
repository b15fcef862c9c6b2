"""SpecGPT endpoints: ask, ambiguity check, suggestions with accept/reject, summaries, feedback.

The user comes from the `X-AgentOps-User` header (the reverse proxy / SSO sets it); every decision
is recorded under that name.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path
from pydantic import BaseModel, Field, StrictBool

from agentops_pipelines.api.deps import get_settings
from agentops_pipelines.api.errors import MAX_ID
from agentops_pipelines.assistant.ambiguity import SmellFinding, find_smells
from agentops_pipelines.assistant.ask import Answer
from agentops_pipelines.assistant.feedback import acceptance_rates
from agentops_pipelines.assistant.gaps import SpecGap
from agentops_pipelines.assistant.model_review import model_findings
from agentops_pipelines.assistant.review import ReviewError, SuggestionNotFound
from agentops_pipelines.assistant.safety import SpecGPTRefusal
from agentops_pipelines.assistant.specgpt import SpecGPT
from agentops_pipelines.assistant.suggestion_store import Suggestion, list_suggestions
from agentops_pipelines.assistant.summarize import Summary
from agentops_pipelines.settings import Settings

# Row ids are 64-bit: a larger id is a 422, not a database overflow.
SuggestionId = Annotated[int, Path(ge=0, le=MAX_ID)]
router = APIRouter(prefix="/api/assistant", tags=["assistant"])
SettingsDep = Annotated[Settings, Depends(get_settings)]
UserHeader = Annotated[str, Header(alias="X-AgentOps-User", min_length=1, max_length=200)]
REFUSAL_STATUS = {"disabled": 403, "rate_limited": 429, "blocked_input": 422, "too_long": 422}

Responses = dict[int | str, dict[str, Any]]
BODY: Responses = {
    400: {"description": "Body is not valid JSON"},
    413: {"description": "Body larger than the limit"},
}
REFUSALS: Responses = {
    403: {"description": "SpecGPT is switched off for the workspace"},
    422: {"description": "Invalid input, or blocked by the content filter"},
    429: {"description": "Per-user rate limit reached"},
}
NOT_FOUND: Responses = {404: {"description": "Spec not ingested (run `agentops ingest`)"}}
CONFLICT: Responses = {
    404: {"description": "Unknown suggestion"},
    409: {"description": "Already decided, or the spec changed where the diff applies"},
}


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=4000)
    lang: str = Field(default="en", pattern="^[a-z]{2}$")
    spec_ids: list[str] | None = None


class AmbiguityRequest(BaseModel):
    text: str = Field(min_length=1, max_length=20000)
    with_model: StrictBool = Field(
        default=False, description="Add the router's review when a model provider is configured"
    )


class RejectRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="Why the proposal is wrong")


class AcceptResponse(BaseModel):
    suggestion_id: int
    spec_id: str
    status: str = Field(
        description="accepted (the spec file was written) or pending_approval (a Git proposal "
        "waits for a reviewer on the Git page; nothing was written)"
    )
    path: str | None = Field(default=None, description="the spec file written (status accepted)")
    proposal_id: int | None = Field(default=None, description="the Git proposal (pending_approval)")
    repo: str | None = Field(default=None, description="the linked repository (pending_approval)")
    branch: str | None = Field(default=None, description="the proposal's branch (pending_approval)")
    message: str = Field(description="what happened and what to do next, for the user")


def _specgpt(settings: Settings, workspace: str | None = None) -> SpecGPT:
    return SpecGPT(settings, workspace=workspace)


def _refused(refusal: SpecGPTRefusal) -> HTTPException:
    return HTTPException(REFUSAL_STATUS.get(refusal.code, 400), detail=str(refusal))


@router.post("/ask", responses={**BODY, **REFUSALS})
def ask(body: AskRequest, settings: SettingsDep, user: UserHeader) -> Answer:
    """A cited answer from the specs, or found=false ("not found in the specs")."""
    try:
        return _specgpt(settings).ask(body.question, user, body.lang, body.spec_ids)
    except SpecGPTRefusal as refusal:
        raise _refused(refusal) from refusal


@router.post("/ambiguity", responses=BODY)
def ambiguity(body: AmbiguityRequest, settings: SettingsDep) -> list[SmellFinding]:
    """Rule-layer findings for one requirement text (no model, no quota); with `with_model` the
    router's review is added when a provider is configured (findings with source 'model')."""
    findings = find_smells(body.text)
    if body.with_model:
        router = _specgpt(settings).model_router()
        if router is not None:
            findings += model_findings(body.text, router)
    return findings


@router.get("/specs/{spec_id:path}/gaps", responses=NOT_FOUND)
def gaps(spec_id: str, settings: SettingsDep) -> list[SpecGap]:
    try:
        return _specgpt(settings).review(spec_id).gaps
    except KeyError as err:
        raise HTTPException(404, detail=str(err).strip("'\"")) from err


@router.post("/specs/{spec_id:path}/suggestions", responses={**REFUSALS, **NOT_FOUND})
def suggest(spec_id: str, settings: SettingsDep, user: UserHeader) -> list[Suggestion]:
    """Generate proposals (with diffs) for the spec's fixable gaps; nothing is written yet."""
    try:
        return _specgpt(settings).suggest(spec_id, user)
    except SpecGPTRefusal as refusal:
        raise _refused(refusal) from refusal
    except KeyError as err:
        raise HTTPException(404, detail=str(err).strip("'\"")) from err


@router.get("/suggestions")
def suggestions(
    settings: SettingsDep, spec_id: str | None = None, status: str | None = None
) -> list[Suggestion]:
    return list_suggestions(_specgpt(settings).sessions, spec_id, status)


@router.post("/suggestions/{suggestion_id}/accept", responses={**CONFLICT, 403: REFUSALS[403]})
def accept(suggestion_id: SuggestionId, settings: SettingsDep, user: UserHeader) -> AcceptResponse:
    """Record the decision and apply the proposal's diff to the spec file in the workspace; where
    the spec's repository is linked on the Git page, propose the change there instead
    (`pending_approval` with the proposal id: a reviewer approves it before it is pushed)."""
    specgpt = _specgpt(settings)
    try:
        outcome = specgpt.accept(suggestion_id, user)
    except ReviewError as err:
        status = 404 if isinstance(err, SuggestionNotFound) else 409
        raise HTTPException(status, detail=str(err)) from err
    except SpecGPTRefusal as refusal:
        raise _refused(refusal) from refusal
    return AcceptResponse(
        **outcome.model_dump(exclude={"path"}),
        path=str(outcome.path) if outcome.path else None,
    )


@router.post("/suggestions/{suggestion_id}/reject", status_code=204, responses={**BODY, **CONFLICT})
def reject(
    suggestion_id: SuggestionId, body: RejectRequest, settings: SettingsDep, user: UserHeader
) -> None:
    try:
        _specgpt(settings).reject(suggestion_id, user, body.reason)
    except ReviewError as err:
        status = 404 if isinstance(err, SuggestionNotFound) else 409
        raise HTTPException(status, detail=str(err)) from err


@router.get("/specs/{spec_id:path}/summary", responses={**REFUSALS, **NOT_FOUND})
def summary(spec_id: str, settings: SettingsDep, user: UserHeader, change: bool = False) -> Summary:
    try:
        return _specgpt(settings).summarize(spec_id, user, change=change)
    except SpecGPTRefusal as refusal:
        raise _refused(refusal) from refusal
    except KeyError as err:
        raise HTTPException(404, detail=str(err).strip("'\"")) from err


@router.get("/feedback")
def feedback(settings: SettingsDep) -> list[dict[str, object]]:
    """Acceptance rate per feature and template version (KPI export)."""
    return [
        {**r.model_dump(), "decided": r.decided, "rate": r.rate}
        for r in acceptance_rates(_specgpt(settings).sessions)
    ]
