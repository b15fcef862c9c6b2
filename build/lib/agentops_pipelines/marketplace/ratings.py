"""Ratings and reviews: one of each per user and template, both editable; authors reply.

Review text goes through the same automatic rules as uploads (secrets/PII, banned content,
links) and has its raw HTML stripped; a review failing them is stored as rejected with the
reason, so the reviewer sees what to change and moderators see it in the audit trail.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func, select

from agentops_pipelines.marketplace.catalog import SessionFactory, template_row
from agentops_pipelines.marketplace.checks import scan_text
from agentops_pipelines.marketplace.errors import Forbidden, MarketplaceError, NotFound
from agentops_pipelines.marketplace.models import ReviewInfo, Status
from agentops_pipelines.marketplace.moderation import log, require_moderator
from agentops_pipelines.marketplace.sanitize import sanitize_markdown
from agentops_pipelines.marketplace.tables import RatingRow, ReviewRow, TemplateRow, utcnow

MAX_REVIEW_CHARS = 4000


class RatingSummary(BaseModel):
    average: float | None
    count: int


def _published(session, slug: str):
    template = template_row(session, slug)
    if template.status != Status.PUBLISHED.value:
        raise NotFound(f"template {slug!r} is not published; only published ones can be rated")
    return template


def rate(sf: SessionFactory, slug: str, user: str, stars: int) -> RatingSummary:
    """Set or change the user's rating (1-5); returns the template's new average and count."""
    if not 1 <= stars <= 5:
        raise MarketplaceError(f"rating {stars} is out of range; give 1 to 5 stars")
    with sf.begin() as session:
        template = _published(session, slug)
        if template.author == user:
            raise Forbidden("authors cannot rate their own template")
        row = session.get(RatingRow, (template.id, user))
        if row is None:
            session.add(
                RatingRow(template_id=template.id, user=user, stars=stars, updated_at=utcnow())
            )
        else:
            row.stars, row.updated_at = stars, utcnow()
    return rating_summary(sf, slug)


def rating_summary(sf: SessionFactory, slug: str) -> RatingSummary:
    with sf() as session:
        template = template_row(session, slug)
        avg, count = session.execute(
            select(func.avg(RatingRow.stars), func.count()).where(
                RatingRow.template_id == template.id
            )
        ).one()
    return RatingSummary(average=round(float(avg), 2) if avg is not None else None, count=count)


def _clean(text: str, what: str) -> tuple[str, list[str]]:
    body = sanitize_markdown(text).strip()
    if not body:
        raise MarketplaceError(f"the {what} is empty; write some text")
    if len(body) > MAX_REVIEW_CHARS:
        raise MarketplaceError(f"the {what} is over {MAX_REVIEW_CHARS} characters; shorten it")
    return body, scan_text(body, what)


def review(sf: SessionFactory, slug: str, user: str, text: str) -> ReviewInfo:
    """Create or edit the user's review; published at once unless an automatic rule refuses it."""
    body, problems = _clean(text, "review")
    now = utcnow()
    with sf.begin() as session:
        template = _published(session, slug)
        if template.author == user:
            raise Forbidden("authors cannot review their own template; reply to reviews instead")
        row = session.scalar(
            select(ReviewRow).where(ReviewRow.template_id == template.id, ReviewRow.user == user)
        )
        if row is None:
            row = ReviewRow(template_id=template.id, user=user, created_at=now)
            session.add(row)
        row.body, row.updated_at = body, now
        row.status = "rejected" if problems else "published"
        row.reason = "; ".join(problems) or None
        session.flush()
        if problems:
            log(
                session,
                "automod",
                "review_auto_reject",
                row.reason or "",
                template.id,
                review_id=row.id,
            )
        stars = session.get(RatingRow, (template.id, user))
        return ReviewInfo(
            id=row.id,
            user=user,
            body=body,
            status=row.status,
            stars=stars.stars if stars else None,
            reply=row.reply,
            created_at=row.created_at,
            updated_at=now,
        )


def reply(sf: SessionFactory, review_id: int, author: str, text: str) -> None:
    """The template's author answers a review (one reply, editable)."""
    body, problems = _clean(text, "reply")
    if problems:
        raise MarketplaceError(problems)
    with sf.begin() as session:
        row = session.get(ReviewRow, review_id)
        if row is None:
            raise NotFound(f"review {review_id} does not exist")
        template = session.get_one(TemplateRow, row.template_id)
        if template.author != author:
            raise Forbidden("only the template's author can reply to its reviews")
        row.reply, row.replied_at = body, utcnow()


def hide_review(sf: SessionFactory, review_id: int, moderator: str, reason: str) -> None:
    """A moderator takes a review down, with a reason kept in the audit trail."""
    require_moderator(moderator)
    if not reason.strip():
        raise MarketplaceError("hiding a review needs a reason; write one")
    with sf.begin() as session:
        row = session.get(ReviewRow, review_id)
        if row is None:
            raise NotFound(f"review {review_id} does not exist")
        row.status, row.reason = "rejected", reason.strip()
        log(session, moderator, "review_hide", reason.strip(), row.template_id, review_id=row.id)


def review_reason(sf: SessionFactory, review_id: int) -> str:
    """Why a review was refused (what to change), empty when it is published."""
    with sf() as session:
        row = session.get(ReviewRow, review_id)
        return (row.reason or "") if row else ""
