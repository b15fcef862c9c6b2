"""Submission and moderation: automatic rules first, then a human queue for new authors.

An author's first uploads (until `TRUSTED_AFTER_APPROVALS` of their versions were approved by a
moderator) wait in the queue; later versions that pass the automatic rules publish at once.
Every verdict, automatic or human, is a row in `mp_moderation` (the audit trail).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agentops_pipelines.auth import audit
from agentops_pipelines.auth.context import acting_holds
from agentops_pipelines.auth.roles import Role
from agentops_pipelines.marketplace.catalog import SessionFactory, template_row, version_rows
from agentops_pipelines.marketplace.errors import Conflict, Forbidden, NotFound, UploadRejected
from agentops_pipelines.marketplace.forks import notify_forks
from agentops_pipelines.marketplace.models import FrontMatter, Status, semver_key
from agentops_pipelines.marketplace.tables import ModerationRow, TemplateRow, VersionRow, utcnow
from agentops_pipelines.marketplace.upload import ValidatedTemplate, validate_upload
from agentops_pipelines.settings import get_settings

TRUSTED_AFTER_APPROVALS = 2
SYSTEM = "automod"


class SubmitResult(BaseModel):
    slug: str
    version: str
    status: Status
    message: str


class QueueItem(BaseModel):
    slug: str
    title: str
    kind: str
    author: str
    version: str
    changelog: str
    content: str
    submitted_at: datetime


class AuditEntry(BaseModel):
    at: datetime
    actor: str
    action: str
    slug: str | None
    version: str | None
    reason: str


def moderators() -> set[str]:
    """Who may moderate: env AGENTOPS_MODERATORS (comma-separated), default 'moderator'."""
    return set(get_settings().auth.moderators)


def require_moderator(user: str) -> None:
    """A verified caller holding the moderator role (auth layer) moderates; without one (CLI,
    scripts) the AGENTOPS_MODERATORS names do."""
    if acting_holds(user, Role.MODERATOR):
        return
    if user not in moderators():
        raise Forbidden(
            f"{user!r} is not a moderator; ask an admin to add the name to AGENTOPS_MODERATORS"
        )


def log(
    session: Session,
    actor: str,
    action: str,
    reason: str,
    template_id: int | None = None,
    version: str | None = None,
    review_id: int | None = None,
) -> None:
    session.add(
        ModerationRow(
            template_id=template_id,
            version=version,
            review_id=review_id,
            actor=actor,
            action=action,
            reason=reason,
            at=utcnow(),
        )
    )
    audit.record_acting(
        session,
        actor=actor,
        action=f"moderation.{action}",
        subject=f"template:{template_id}" + (f"@{version}" if version else ""),
        detail={"reason": reason[:200], **({"review": review_id} if review_id else {})},
    )


def _trusted(session: Session, author: str) -> bool:
    approved = session.scalar(
        select(func.count())
        .select_from(ModerationRow)
        .join(TemplateRow, TemplateRow.id == ModerationRow.template_id)
        .where(TemplateRow.author == author, ModerationRow.action == "approve")
    )
    return (approved or 0) >= TRUSTED_AFTER_APPROVALS


def publish(session: Session, template: TemplateRow, version: VersionRow) -> None:
    """Make a version live; the template shows the highest published version; forks hear."""
    now = utcnow()
    version.status, version.published_at = Status.PUBLISHED.value, now
    previous = template.latest_version
    if previous is None or semver_key(version.version) > semver_key(previous):
        template.latest_version = version.version
        _apply_meta(template, FrontMatter.model_validate(version.meta))
        notify_forks(session, template, version.version)
    template.status, template.updated_at = Status.PUBLISHED.value, now


def submit(
    sf: SessionFactory,
    filename: str,
    payload: bytes,
    author: str,
    draft: bool = False,
    trusted: bool = False,
) -> SubmitResult:
    """Validate an upload and store it; auto-rejections are audited and raised to the caller."""
    try:
        validated = validate_upload(filename, payload)
    except UploadRejected as err:
        with sf.begin() as session:
            log(session, SYSTEM, "auto_reject", f"{filename} by {author}: {err}")
        raise
    return store(sf, validated, author, draft=draft, trusted=trusted)


def _apply_meta(template: TemplateRow, m: FrontMatter) -> None:
    """The listing shows the front matter of the newest live version (or of the only one)."""
    template.kind, template.title, template.description = m.kind.value, m.title, m.description
    template.license, template.tags, template.price_cents = m.license, m.tags, m.price_cents


def store(
    sf: SessionFactory,
    v: ValidatedTemplate,
    author: str,
    draft: bool = False,
    trusted: bool = False,
) -> SubmitResult:
    now = utcnow()
    with sf.begin() as session:
        template = session.scalar(select(TemplateRow).where(TemplateRow.slug == v.slug))
        if template is None:
            template = TemplateRow(
                slug=v.slug,
                author=author,
                status=Status.DRAFT.value,
                latest_version=None,
                created_at=now,
                updated_at=now,
            )
            _apply_meta(template, v.meta)
            session.add(template)
            session.flush()
        elif template.author != author:
            raise Forbidden(f"slug {v.slug!r} belongs to another author; set another `slug:`")
        existing = version_rows(session, template.id)
        if any(e.version == v.meta.version for e in existing):
            raise Conflict(f"{v.slug} {v.meta.version} exists; bump `version:` in front matter")
        if existing and semver_key(v.meta.version) < semver_key(existing[0].version):
            raise Conflict(
                f"version {v.meta.version} is lower than {existing[0].version}; "
                "a new version must be higher"
            )
        if template.status != Status.PUBLISHED.value:
            _apply_meta(template, v.meta)
        version = VersionRow(
            template_id=template.id,
            version=v.meta.version,
            changelog=v.meta.changelog,
            content=v.body,
            files=v.files,
            meta=v.meta.model_dump(mode="json"),
            sha256=v.sha256,
            status=Status.DRAFT.value,
            created_at=now,
        )
        session.add(version)
        log(
            session,
            SYSTEM,
            "auto_checks_passed",
            "schema, size, zip, secrets/PII, banned content and link checks passed",
            template.id,
            v.meta.version,
        )
        if draft:
            message = "saved as draft; submit it for review when ready"
        else:
            message = _route(session, template, version, trusted)
        return SubmitResult(
            slug=template.slug,
            version=version.version,
            status=Status(version.status),
            message=message,
        )


def _route(session: Session, template: TemplateRow, version: VersionRow, trusted: bool) -> str:
    """Publish at once for trusted authors, else queue for a moderator; returns the message."""
    if trusted or _trusted(session, template.author):
        publish(session, template, version)
        log(session, SYSTEM, "auto_publish", "trusted author", template.id, version.version)
        return "published"
    version.status = Status.PENDING.value
    if template.status != Status.PUBLISHED.value:
        template.status = Status.PENDING.value
    log(
        session,
        SYSTEM,
        "queued",
        "first uploads of an author are reviewed by a moderator",
        template.id,
        version.version,
    )
    return "waiting for a moderator (first uploads of an author are reviewed)"


def submit_draft(sf: SessionFactory, slug: str, version: str, author: str) -> SubmitResult:
    """Send a draft version on: published or queued like a direct upload."""
    with sf.begin() as session:
        template = template_row(session, slug)
        if template.author != author:
            raise Forbidden(f"only the author of {slug!r} can submit its drafts")
        row = next((v for v in version_rows(session, template.id) if v.version == version), None)
        if row is None or row.status != Status.DRAFT.value:
            raise Conflict(f"{slug} {version} is not a draft; upload a new version instead")
        message = _route(session, template, row, trusted=False)
        return SubmitResult(slug=slug, version=version, status=Status(row.status), message=message)


def queue(sf: SessionFactory) -> list[QueueItem]:
    with sf() as session:
        rows = session.execute(
            select(VersionRow, TemplateRow)
            .join(TemplateRow, TemplateRow.id == VersionRow.template_id)
            .where(VersionRow.status == Status.PENDING.value)
            .order_by(VersionRow.created_at)
        ).all()
    return [
        QueueItem(
            slug=t.slug,
            title=t.title,
            kind=t.kind,
            author=t.author,
            version=v.version,
            changelog=v.changelog,
            content=v.content,
            submitted_at=v.created_at,
        )
        for v, t in rows
    ]


def _pending(session: Session, slug: str, version: str) -> tuple[TemplateRow, VersionRow]:
    template = template_row(session, slug)
    row = next((v for v in version_rows(session, template.id) if v.version == version), None)
    if row is None:
        raise NotFound(f"{slug} has no version {version!r}")
    if row.status != Status.PENDING.value:
        raise Conflict(f"{slug} {version} is {row.status}, not pending; nothing to decide")
    return template, row


def approve(sf: SessionFactory, slug: str, version: str, moderator: str, reason: str = "") -> None:
    require_moderator(moderator)
    with sf.begin() as session:
        template, row = _pending(session, slug, version)
        if template.author == moderator:
            raise Forbidden("moderators cannot approve their own uploads; ask another moderator")
        publish(session, template, row)
        log(session, moderator, "approve", reason or "approved", template.id, version)


def reject(sf: SessionFactory, slug: str, version: str, moderator: str, reason: str) -> None:
    require_moderator(moderator)
    if not reason.strip():
        raise UploadRejected("a rejection needs a reason the author can act on; write one")
    with sf.begin() as session:
        template, row = _pending(session, slug, version)
        row.status = Status.REJECTED.value
        if template.status != Status.PUBLISHED.value:
            template.status, template.updated_at = Status.REJECTED.value, utcnow()
        log(session, moderator, "reject", reason.strip(), template.id, version)


def audit_trail(sf: SessionFactory, slug: str | None = None, limit: int = 200) -> list[AuditEntry]:
    query = (
        select(ModerationRow, TemplateRow.slug)
        .outerjoin(TemplateRow, TemplateRow.id == ModerationRow.template_id)
        .order_by(ModerationRow.id.desc())
        .limit(limit)
    )
    if slug:
        query = query.where(TemplateRow.slug == slug)
    with sf() as session:
        rows = session.execute(query).all()
    return [
        AuditEntry(
            at=m.at, actor=m.actor, action=m.action, slug=s, version=m.version, reason=m.reason
        )
        for m, s in rows
    ]


class Submission(BaseModel):
    """One of an author's versions with its state and the last moderation note on it."""

    slug: str
    title: str
    version: str
    status: Status
    note: str
    at: datetime


def submissions(sf: SessionFactory, author: str) -> list[Submission]:
    """What the author uploaded, newest first, so a rejection reason reaches its author."""
    with sf() as session:
        rows = session.execute(
            select(VersionRow, TemplateRow)
            .join(TemplateRow, TemplateRow.id == VersionRow.template_id)
            .where(TemplateRow.author == author)
            .order_by(VersionRow.id.desc())
        ).all()
        notes: dict[tuple[int, str], str] = {}
        for m in session.scalars(
            select(ModerationRow)
            .where(ModerationRow.template_id.in_([t.id for _, t in rows]))
            .order_by(ModerationRow.id)
        ):
            notes[(m.template_id or 0, m.version or "")] = f"{m.action} by {m.actor}: {m.reason}"
    return [
        Submission(
            slug=t.slug,
            title=t.title,
            version=v.version,
            status=Status(v.status),
            note=notes.get((t.id, v.version), ""),
            at=v.created_at,
        )
        for v, t in rows
    ]
