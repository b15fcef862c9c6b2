"""One PR review end to end: the webhook's PR -> checkout of base and head -> specs of the
linked repo -> model-free review -> optional model comments -> report kept as an artefact."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.gitops.inbox.events import PullRequestEvent
from agentops_pipelines.gitops.links.repo_links import RepoLink
from agentops_pipelines.qa.sandbox import SandboxLimits
from agentops_pipelines.review.checkout import checkout_pull
from agentops_pipelines.review.engine import ReviewInput, review_pull
from agentops_pipelines.review.models import ReviewReport
from agentops_pipelines.review.publish import PublishMode
from agentops_pipelines.review.specs_for import specs_for_link
from agentops_pipelines.settings import settings_for
from agentops_pipelines.specs.source import SpecFolder

MODE_ENV = "AGENTOPS_PR_REVIEW_MODE"
REVIEWS_KIND = "reviews"
ACTIONS = frozenset({"opened", "synchronize", "reopened"})


class ReviewOptions(BaseModel):
    run_tests: bool = True
    protected_paths: list[str] = [".github/workflows/"]
    limits: SandboxLimits | None = None


def pull_key(repo: str, number: int) -> str:
    return f"{repo}#{number}"


def publish_mode(value: str | None = None, environ: dict[str, str] | None = None) -> PublishMode:
    raw = (value or settings_for(environ).git.pr_review_mode or "comment").strip()
    if raw not in ("off", "comment", "request_changes"):
        raise ValueError(
            f"PR review mode {raw!r} is not one of off, comment, request_changes: fix {MODE_ENV} "
            "or the asset's `mode` config"
        )
    return raw  # type: ignore[return-value]


def review_event(
    event: PullRequestEvent,
    link: RepoLink,
    source: SpecFolder | None,
    workdir: Path,
    options: ReviewOptions | None = None,
) -> ReviewReport:
    options = options or ReviewOptions()
    pr = event.pull_request
    checkout = checkout_pull(link.remote_url, pr.number, pr.base.sha, pr.head.sha, workdir)
    specs = specs_for_link(link, source, checkout.head_dir)
    return review_pull(
        ReviewInput(
            repo=event.repository.full_name,
            number=pr.number,
            base_sha=checkout.merge_base,
            head_sha=pr.head.sha,
            base_dir=checkout.base_dir,
            head_dir=checkout.head_dir,
            diff=checkout.diff,
            specs=specs,
            protected_paths=options.protected_paths,
            run_tests=options.run_tests,
            evidence_dir=workdir / "evidence",
            limits=options.limits,
        )
    )


def save_report(root: Path, report: ReviewReport) -> Path:
    return ArtefactStore(root).write_text(
        REVIEWS_KIND, report.key, report.model_dump_json(indent=2)
    )


def load_reports(root: Path) -> list[ReviewReport]:
    """Every kept review, newest PR number last per repo (for the Git page)."""
    folder = Path(root) / REVIEWS_KIND
    reports = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            reports.append(ReviewReport.model_validate_json(path.read_text("utf-8")))
        except ValueError:
            continue
    return sorted(reports, key=lambda r: (r.repo, r.number))
