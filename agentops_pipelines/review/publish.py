"""Publish a review report to the PR, idempotently: one live review and one check per head.

- Same head, same digest: nothing is written.
- Same head, new content: the review body is edited in place; inline comments at the same
  diff position are edited, stale ones deleted (a submitted review takes no new inline comments,
  so findings at new positions are listed in the body).
- New head (a push): the previous live review is collapsed in place (body -> "superseded", its
  inline comments deleted, dismissed if it requested changes) and one new review is created on
  the new head with its inline comments. The check run of a head is created once and updated.

Mode `off` publishes nothing, `comment` always comments, `request_changes` requests changes
when a MUST requirement regresses (and the check concludes `failure`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from agentops_pipelines.review.host import CheckOutput, HostReview, ReviewEvent, ReviewHost
from agentops_pipelines.review.models import ReviewReport
from agentops_pipelines.review.render import (
    CHECK_NAME,
    Marker,
    check_title,
    conclusion,
    digest,
    inline_comments,
    parse_marker,
    review_body,
    summary,
    superseded_body,
)

PublishMode = Literal["off", "comment", "request_changes"]


class PublishOutcome(BaseModel):
    mode: PublishMode
    review_id: int | None = None
    review_action: Literal["none", "created", "edited", "unchanged"] = "none"
    superseded: list[int] = []
    check_id: int | None = None
    check_conclusion: str | None = None
    event: str | None = None


def _event(report: ReviewReport, mode: PublishMode) -> ReviewEvent:
    return "REQUEST_CHANGES" if mode == "request_changes" and report.must_regressed else "COMMENT"


def _mine(host: ReviewHost, report: ReviewReport) -> list[tuple[HostReview, Marker]]:
    found = []
    for review in host.list_reviews(report.repo, report.number):
        marker = parse_marker(review.body)
        if marker and marker.key == report.key and marker.state == "live":
            found.append((review, marker))
    return found


def _refresh(host: ReviewHost, report: ReviewReport, review: HostReview) -> None:
    """Same head, changed content: edit the body and the comments that kept their position."""
    wanted = {(c.path, c.position): c for c in inline_comments(report)}
    for comment in host.review_comments(report.repo, report.number, review.id):
        target = wanted.pop((comment.path, comment.position or -1), None)
        if target is None:
            host.delete_comment(report.repo, report.number, comment.id)
        elif target.body != comment.body:
            host.edit_comment(report.repo, report.number, comment.id, target.body)
    body = review_body(report)
    if wanted:
        extra = "\n".join(
            f"- `{c.path}` (diff position {c.position}): {c.body}" for c in wanted.values()
        )
        body = body.replace("\n\n<!--", f"\n\n**Findings at new lines:**\n{extra}\n\n<!--", 1)
    host.edit_review(report.repo, report.number, review.id, body)


def _supersede(host: ReviewHost, report: ReviewReport, review: HostReview, marker: Marker) -> None:
    for comment in host.review_comments(report.repo, report.number, review.id):
        host.delete_comment(report.repo, report.number, comment.id)
    if review.state == "CHANGES_REQUESTED":
        host.dismiss_review(
            report.repo,
            report.number,
            review.id,
            f"Superseded by the review of {report.head_sha[:12]}",
        )
    host.edit_review(
        report.repo,
        report.number,
        review.id,
        superseded_body(report.key, marker.head, report.head_sha, marker.digest),
    )


def publish_review(host: ReviewHost, report: ReviewReport, mode: PublishMode) -> PublishOutcome:
    outcome = PublishOutcome(mode=mode)
    if mode == "off":
        return outcome
    event = _event(report, mode)
    outcome.event = event
    current = digest(report)
    live = None
    for review, marker in _mine(host, report):
        if marker.head == report.head_sha and live is None and (review.state != "DISMISSED"):
            live = (review, marker)
            continue
        _supersede(host, report, review, marker)
        outcome.superseded.append(review.id)
    state = "CHANGES_REQUESTED" if event == "REQUEST_CHANGES" else "COMMENTED"
    if live is not None and live[0].state != state:  # a review's verdict cannot be edited
        _supersede(host, report, *live)
        outcome.superseded.append(live[0].id)
        live = None
    if live is None:
        created = host.create_review(
            report.repo,
            report.number,
            report.head_sha,
            review_body(report),
            event,
            inline_comments(report),
        )
        outcome.review_id, outcome.review_action = created.id, "created"
    else:
        review, marker = live
        outcome.review_id = review.id
        if marker.digest == current:
            outcome.review_action = "unchanged"
        else:
            _refresh(host, report, review)
            outcome.review_action = "edited"
    check = _publish_check(host, report, mode)
    outcome.check_id, outcome.check_conclusion = check.id, check.conclusion
    return outcome


def _publish_check(host: ReviewHost, report: ReviewReport, mode: PublishMode):
    existing = host.find_check(report.repo, report.head_sha, CHECK_NAME)
    return host.upsert_check(
        report.repo,
        report.head_sha,
        CHECK_NAME,
        external_id=report.key,
        conclusion=conclusion(report, mode == "request_changes"),
        output=CheckOutput(title=check_title(report), summary=summary(report)[:65000]),
        check_id=existing.id if existing else None,
    )
