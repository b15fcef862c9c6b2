"""The webhook events the hub acts on, as small Pydantic models of the fields we use.

Only the fields AgentOps reads are modelled; everything else stays in the stored raw payload.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Event(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Repo(_Event):
    full_name: str
    default_branch: str | None = None


class Commit(_Event):
    id: str
    message: str = ""
    added: list[str] = Field(default_factory=list)
    modified: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)


# GitHub puts at most this many commits into a push payload; a longer push needs the compare API.
PUSH_COMMIT_CAP = 20


class PushEvent(_Event):
    repository: Repo
    ref: str
    before: str
    after: str
    created: bool = False
    deleted: bool = False
    forced: bool = False
    commits: list[Commit] = Field(default_factory=list)

    @property
    def branch(self) -> str | None:
        return self.ref.removeprefix("refs/heads/") if self.ref.startswith("refs/heads/") else None

    @property
    def may_be_truncated(self) -> bool:
        return len(self.commits) >= PUSH_COMMIT_CAP


class GitRef(_Event):
    ref: str
    sha: str


class PullRequest(_Event):
    number: int
    state: str
    title: str = ""
    html_url: str | None = None
    merged: bool | None = None
    head: GitRef
    base: GitRef


class PullRequestEvent(_Event):
    action: str
    number: int
    pull_request: PullRequest
    repository: Repo


class Review(_Event):
    id: int
    state: str
    commit_id: str | None = None


class PullRequestReviewEvent(_Event):
    action: str
    review: Review
    pull_request: PullRequest
    repository: Repo


class CheckRun(_Event):
    id: int
    name: str
    head_sha: str
    status: str
    conclusion: str | None = None


class CheckRunEvent(_Event):
    action: str
    check_run: CheckRun
    repository: Repo


class CheckSuite(_Event):
    id: int
    head_sha: str
    head_branch: str | None = None
    status: str | None = None
    conclusion: str | None = None


class CheckSuiteEvent(_Event):
    action: str
    check_suite: CheckSuite
    repository: Repo


class WorkflowRun(_Event):
    id: int
    name: str | None = None
    head_sha: str
    head_branch: str | None = None
    status: str | None = None
    conclusion: str | None = None
    run_attempt: int | None = None


class WorkflowRunEvent(_Event):
    action: str
    workflow_run: WorkflowRun
    repository: Repo


class StatusEvent(_Event):
    sha: str
    state: str
    context: str
    target_url: str | None = None
    branches: list[dict[str, Any]] = Field(default_factory=list)
    repository: Repo


class PingEvent(_Event):
    zen: str
    hook_id: int
    repository: Repo | None = None


GitHubEvent = (
    PushEvent
    | PullRequestEvent
    | PullRequestReviewEvent
    | CheckRunEvent
    | CheckSuiteEvent
    | WorkflowRunEvent
    | StatusEvent
    | PingEvent
)

EVENT_MODELS: dict[str, type[_Event]] = {
    "push": PushEvent,
    "pull_request": PullRequestEvent,
    "pull_request_review": PullRequestReviewEvent,
    "check_run": CheckRunEvent,
    "check_suite": CheckSuiteEvent,
    "workflow_run": WorkflowRunEvent,
    "status": StatusEvent,
    "ping": PingEvent,
}
HANDLED_EVENTS = frozenset(EVENT_MODELS)


class UnhandledEventError(ValueError):
    """Raised when asked to parse an event the hub does not model."""


def parse_event(event: str, payload: dict[str, Any]) -> GitHubEvent:
    """Validate a payload of a handled `X-GitHub-Event` into its model."""
    model = EVENT_MODELS.get(event)
    if model is None:
        raise UnhandledEventError(
            f"event {event!r} is not handled; handled events: {sorted(HANDLED_EVENTS)}"
        )
    return model.model_validate(payload)  # type: ignore[return-value]
