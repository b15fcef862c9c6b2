"""Marketplace endpoints: browse, search, detail, versions, download, upload, fork, rate,
review and moderate templates.

Who is calling comes from the `X-AgentOps-User` and `X-AgentOps-Workspace` headers (set by the
gateway in front of the API); moderation needs a user listed in AGENTOPS_MODERATORS. Every
endpoint is off for a workspace whose `marketplace` feature is disabled. With plan limits on
(AGENTOPS_PLAN_LIMITS=on), a named user's first call takes one of the plan's seats.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    FastAPI,
    File,
    Header,
    HTTPException,
    Path,
    Query,
    Request,
    UploadFile,
)
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field

from agentops_pipelines.api.deps import get_settings
from agentops_pipelines.api.errors import (
    BAD_BODY,
    MAX_ID,
    ProblemError,
    ValidationFailed,
    all_utc,
    as_utc,
)
from agentops_pipelines.billing.entitlements import PlanLimitExceeded
from agentops_pipelines.billing.limits import claim_seat
from agentops_pipelines.features import MARKETPLACE, feature_enabled
from agentops_pipelines.marketplace import catalog, forks, moderation, ratings
from agentops_pipelines.marketplace.catalog import Pricing, SessionFactory, Sort
from agentops_pipelines.marketplace.errors import (
    Conflict,
    Forbidden,
    MarketplaceError,
    NotFound,
)
from agentops_pipelines.marketplace.models import (
    ReviewInfo,
    TemplateCard,
    TemplateDetail,
    TemplateKind,
    VersionInfo,
)
from agentops_pipelines.marketplace.preview import for_viewer
from agentops_pipelines.marketplace.sanitize import sanitize_markdown
from agentops_pipelines.marketplace.search import search_templates
from agentops_pipelines.marketplace.store_factory import billing_entitlement, marketplace_store
from agentops_pipelines.marketplace.upload import MAX_ZIP_BYTES
from agentops_pipelines.settings import Settings

ANONYMOUS = "anonymous"  # a caller without a user header: holds no seat
ERRORS: dict[int | str, dict[str, Any]] = {
    402: {
        "model": ProblemError,
        "description": "The workspace's plan has no free seat for this user (plan limits on)",
    },
    403: {
        "model": ProblemError,
        "description": "Not allowed (not a moderator, paid template not bought, disabled)",
    },
    404: {"model": ProblemError, "description": "No such template, version, fork or review"},
    409: {
        "model": ProblemError,
        "description": "Clashes with stored state (version exists, already decided)",
    },
    422: {
        "model": ValidationFailed,
        "description": "Rejected: `detail.problems` (or FastAPI's list) says what to fix",
    },
}
router = APIRouter(prefix="/api/marketplace", tags=["marketplace"], responses=ERRORS)
ReviewId = Annotated[int, Path(ge=0, le=MAX_ID, description="Id of the review")]


class Caller(BaseModel):
    user: str
    workspace: str
    sf: SessionFactory

    model_config = {"arbitrary_types_allowed": True}


def caller(
    settings: Annotated[Settings, Depends(get_settings)],
    x_agentops_user: Annotated[
        str, Header(min_length=1, max_length=200, description="Who is calling")
    ] = ANONYMOUS,
    x_agentops_workspace: Annotated[
        str, Header(min_length=1, max_length=200, description="Workspace acted in")
    ] = "default",
) -> Caller:
    sf = marketplace_store(settings.app_db_url)
    try:
        enabled = feature_enabled(sf, x_agentops_workspace, MARKETPLACE)
    except ValueError as err:  # a blank workspace name
        raise MarketplaceError(str(err)) from err
    if not enabled:
        raise Forbidden(
            f"the marketplace is disabled for workspace "
            f"{x_agentops_workspace!r}; an admin can enable it in settings"
        )
    if settings.plan_limits and x_agentops_user != ANONYMOUS:
        try:
            claim_seat(sf, x_agentops_workspace, x_agentops_user)
        except PlanLimitExceeded as err:
            raise HTTPException(402, detail={"message": str(err), "problems": []}) from err
    return Caller(user=x_agentops_user, workspace=x_agentops_workspace, sf=sf)


CallerDep = Annotated[Caller, Depends(caller)]


def marketplace_error(request: Request, err: Exception) -> JSONResponse:
    """The one answer to a MarketplaceError from any route or dependency (registered on the app
    by `install_error_handler`): 404/403/409 by kind, else 422, with the problems to fix."""
    assert isinstance(err, MarketplaceError)
    code = {NotFound: 404, Forbidden: 403, Conflict: 409}.get(type(err), 422)
    return JSONResponse({"detail": {"message": str(err), "problems": err.problems}}, code)


def install_error_handler(app: FastAPI) -> None:
    app.add_exception_handler(MarketplaceError, marketplace_error)


class DownloadOut(BaseModel):
    slug: str
    version: str
    sha256: str
    content: str = Field(description="The template markdown body as uploaded")
    files: dict[str, str] = Field(default_factory=dict)


class Stars(BaseModel):
    stars: int = Field(ge=1, le=5)


class Text(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class Reason(BaseModel):
    reason: str = Field(default="", max_length=2000)


@router.get("/templates", response_model=list[TemplateCard], summary="List published templates")
def list_templates(
    c: CallerDep,
    kind: TemplateKind | None = None,
    tag: str | None = None,
    pricing: Annotated[Pricing | None, Query(description="free or paid")] = None,
    sort: Sort = "popular",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[TemplateCard]:
    found = catalog.list_templates(c.sf, kind, tag, pricing, sort, limit=limit, offset=offset)
    return all_utc(found)


@router.get("/search", response_model=list[TemplateCard], summary="Search templates (BM25)")
def search(
    c: CallerDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[TemplateCard]:
    try:
        return all_utc(search_templates(c.sf, q, limit))
    except ValueError as err:
        raise MarketplaceError(str(err)) from err


@router.get("/templates/{slug}", response_model=TemplateDetail, summary="Template detail")
def detail(c: CallerDep, slug: str) -> TemplateDetail:
    shown = for_viewer(
        catalog.get_template(c.sf, slug), c.workspace, c.user, billing_entitlement(c.sf)
    )
    return as_utc(shown)


@router.get("/templates/{slug}/versions", response_model=list[VersionInfo])
def versions(c: CallerDep, slug: str) -> list[VersionInfo]:
    return all_utc(catalog.list_versions(c.sf, slug))


@router.get(
    "/templates/{slug}/download",
    response_model=DownloadOut,
    summary="Download a version (paid templates need a verified purchase)",
)
def download(c: CallerDep, slug: str, version: str | None = None) -> DownloadOut:
    row, _ = catalog.download(c.sf, slug, c.user, c.workspace, version, billing_entitlement(c.sf))
    return DownloadOut(  # sanitised on the way out as well: rows stored before the fix too
        slug=slug,
        version=row.version,
        sha256=row.sha256,
        content=sanitize_markdown(row.content),
        files={path: sanitize_markdown(text) for path, text in (row.files or {}).items()},
    )


@router.post(
    "/templates",
    response_model=moderation.SubmitResult,
    status_code=201,
    summary="Upload a template (.md with front matter, or .zip of a template folder)",
    responses=BAD_BODY,
)
async def upload(
    c: CallerDep,
    file: Annotated[UploadFile, File(description=".md with front matter or .zip of a folder")],
    draft: Annotated[bool, Query(description="Store without submitting for review")] = False,
) -> moderation.SubmitResult:
    payload = await file.read(MAX_ZIP_BYTES + 1)
    done = moderation.submit(c.sf, file.filename or "upload.md", payload, c.user, draft=draft)
    return as_utc(done)


@router.post(
    "/templates/{slug}/versions/{version}/submit",
    response_model=moderation.SubmitResult,
    summary="Submit a draft version for review",
)
def submit_draft(c: CallerDep, slug: str, version: str) -> moderation.SubmitResult:
    return moderation.submit_draft(c.sf, slug, version, c.user)


@router.post("/templates/{slug}/fork", response_model=forks.ForkInfo, summary="Fork into workspace")
def fork(c: CallerDep, slug: str) -> forks.ForkInfo:
    return as_utc(forks.fork(c.sf, slug, c.workspace, c.user, billing_entitlement(c.sf)))


@router.get("/forks", response_model=list[forks.ForkInfo], summary="Forks of this workspace")
def list_forks(c: CallerDep) -> list[forks.ForkInfo]:
    return all_utc(forks.list_forks(c.sf, c.workspace))


@router.get(
    "/forks/{slug}/diff",
    summary="Unified diff from the fork's upstream version to the latest",
    # The diff is text/plain; errors stay JSON (a route-wide response_class would document
    # every error as text/plain too).
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def fork_diff(c: CallerDep, slug: str) -> PlainTextResponse:
    return PlainTextResponse(forks.fork_diff(c.sf, slug, c.workspace))


@router.post("/forks/{slug}/update", response_model=forks.ForkInfo)
def update_fork(c: CallerDep, slug: str) -> forks.ForkInfo:
    return as_utc(forks.update_fork(c.sf, slug, c.workspace))


@router.get("/notifications", response_model=list[forks.Notification])
def notifications(c: CallerDep, unread_only: bool = True) -> list[forks.Notification]:
    return all_utc(forks.notifications(c.sf, c.workspace, unread_only))


@router.put("/templates/{slug}/rating", response_model=ratings.RatingSummary, responses=BAD_BODY)
def rate(c: CallerDep, slug: str, body: Stars) -> ratings.RatingSummary:
    return as_utc(ratings.rate(c.sf, slug, c.user, body.stars))


@router.put(
    "/templates/{slug}/review",
    response_model=ReviewInfo,
    summary="Create or edit your review (automatically moderated)",
    responses=BAD_BODY,
)
def review(c: CallerDep, slug: str, body: Text) -> ReviewInfo:
    return as_utc(ratings.review(c.sf, slug, c.user, body.text))


@router.post(
    "/reviews/{review_id}/reply",
    status_code=204,
    summary="Author replies to a review",
    responses=BAD_BODY,
)
def reply(c: CallerDep, review_id: ReviewId, body: Text) -> None:
    ratings.reply(c.sf, review_id, c.user, body.text)


@router.post(
    "/reviews/{review_id}/hide",
    status_code=204,
    summary="Moderator hides a review",
    responses=BAD_BODY,
)
def hide_review(c: CallerDep, review_id: ReviewId, body: Reason) -> None:
    ratings.hide_review(c.sf, review_id, c.user, body.reason)


@router.get("/moderation/queue", response_model=list[moderation.QueueItem])
def moderation_queue(c: CallerDep) -> list[moderation.QueueItem]:
    moderation.require_moderator(c.user)
    return all_utc(moderation.queue(c.sf))


@router.post("/moderation/{slug}/{version}/approve", status_code=204, responses=BAD_BODY)
def approve(c: CallerDep, slug: str, version: str, body: Reason) -> None:
    moderation.approve(c.sf, slug, version, c.user, body.reason)


@router.post("/moderation/{slug}/{version}/reject", status_code=204, responses=BAD_BODY)
def reject(c: CallerDep, slug: str, version: str, body: Reason) -> None:
    moderation.reject(c.sf, slug, version, c.user, body.reason)


@router.get("/moderation/audit", response_model=list[moderation.AuditEntry])
def audit(c: CallerDep, slug: str | None = None) -> list[moderation.AuditEntry]:
    moderation.require_moderator(c.user)
    return all_utc(moderation.audit_trail(c.sf, slug))
