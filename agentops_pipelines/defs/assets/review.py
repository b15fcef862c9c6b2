"""Spec-aware review of one pull request, published as a GitHub review and a check run."""

from pathlib import Path

import dagster as dg

from agentops_pipelines.artefacts import encode_key
from agentops_pipelines.defs.partitions import pull_partitions
from agentops_pipelines.gitops.hosts.base import GitHostError
from agentops_pipelines.gitops.links.repo_links import link_for_repo
from agentops_pipelines.resources.gitops import GitOpsResource
from agentops_pipelines.resources.llm import LLMRouterResource
from agentops_pipelines.resources.spec_source import ArtefactRoot, SpecSource
from agentops_pipelines.review.checkout import CheckoutError
from agentops_pipelines.review.events import request_for
from agentops_pipelines.review.github_review import GitHubReviewHost
from agentops_pipelines.review.model_comments import add_model_comments
from agentops_pipelines.review.models import ReviewReport
from agentops_pipelines.review.pr_review import (
    ReviewOptions,
    publish_mode,
    review_event,
    save_report,
)
from agentops_pipelines.review.publish import publish_review


class PRReviewConfig(dg.Config):
    delivery_id: str = ""  # set by the sensor; empty: the PR's newest reviewable delivery
    head_sha: str = ""  # informational (shown in the run's config)
    mode: str = ""  # off | comment | request_changes; empty: AGENTOPS_PR_REVIEW_MODE or comment
    run_tests: bool = True  # sandboxed run of base and head
    model_comments: bool = True  # prose comments through the router when a real model is set


@dg.asset(
    partitions_def=pull_partitions,
    group_name="review",
    kinds={"github", "python"},
    code_version="1",
)
def pr_review(
    context: dg.AssetExecutionContext,
    config: PRReviewConfig,
    gitops: GitOpsResource,
    spec_source: SpecSource,
    artefacts: ArtefactRoot,
    llm: LLMRouterResource,
) -> dg.Output[ReviewReport]:
    """Requirements a PR touches, tests it weakens, head-vs-base test delta and completion
    delta, posted to the PR as a review with inline comments plus a check run."""
    key = context.partition_key
    mode = publish_mode(config.mode)
    sessions = gitops.sessions()
    request = request_for(sessions, key, config.delivery_id)
    if request is None:
        raise dg.Failure(
            f"no pull_request delivery for {key} in the webhook inbox", allow_retries=False
        )
    link = link_for_repo(sessions, request.event.repository.full_name)
    if link is None:
        raise dg.Failure(
            f"{request.event.repository.full_name} is not linked (Git page)", allow_retries=False
        )
    workdir = Path(gitops.home) / "reviews" / encode_key(key)
    try:
        source = spec_source.folder()
    except (FileNotFoundError, ValueError):
        source = None
    try:
        report = review_event(
            request.event,
            link,
            source,
            workdir,
            ReviewOptions(run_tests=config.run_tests, protected_paths=gitops.protected_paths),
        )
    except CheckoutError as err:
        raise dg.Failure(description=str(err), allow_retries=True) from err
    if config.model_comments:
        report = add_model_comments(report, workdir / "head", llm.get_router(), context.run_id)
    host = gitops.host()
    outcome = None
    if host is not None and mode != "off":
        try:
            outcome = publish_review(GitHubReviewHost(host), report, mode)
        except GitHostError as err:
            context.log.warning("review of %s not published: %s", key, err)
    save_report(Path(artefacts.path), report)
    return dg.Output(
        report,
        metadata={
            "head_sha": report.head_sha,
            "flagged": report.flagged,
            "findings": len(report.findings),
            "requirements": ", ".join(r.id for r in report.requirements) or "none",
            "must_regressed": ", ".join(report.must_regressed) or "none",
            "newly_failing": len(report.tests.newly_failing),
            "mode": mode,
            "published": outcome.review_action if outcome else "not published",
            "check_conclusion": (outcome.check_conclusion or "") if outcome else "",
        },
    )
