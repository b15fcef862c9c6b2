"""The catalog: listings with filters and sort, template detail, versions, downloads.

Reads aggregate download, fork and rating rows per template in SQL (one query per listing), so a
listing costs the same whatever the number of templates on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.marketplace.errors import Forbidden, NotFound
from agentops_pipelines.marketplace.models import (
    ReviewInfo,
    Status,
    TemplateCard,
    TemplateDetail,
    TemplateKind,
    VersionInfo,
    semver_key,
)
from agentops_pipelines.marketplace.sanitize import sanitize_markdown
from agentops_pipelines.marketplace.tables import (
    DownloadRow,
    ForkRow,
    RatingRow,
    ReviewRow,
    TemplateRow,
    VersionRow,
    utcnow,
)
from agentops_pipelines.store.acting_workspace import for_workspace_argument
from agentops_pipelines.store.scoping import across_workspaces

Sort = Literal["popular", "newest", "rating"]
Pricing = Literal["free", "paid"]
# (workspace, template slug) -> may this workspace download this paid template?
EntitlementCheck = Callable[[str, str], bool]
SessionFactory = sessionmaker[Session]


def _card_query() -> Select:
    downloads = (
        select(DownloadRow.template_id, func.count().label("n"))
        .group_by(DownloadRow.template_id)
        .subquery()
    )
    forks = select(ForkRow.template_id, func.count().label("n")).group_by(ForkRow.template_id)
    forks_q = forks.subquery()
    ratings = (
        select(
            RatingRow.template_id, func.avg(RatingRow.stars).label("avg"), func.count().label("n")
        )
        .group_by(RatingRow.template_id)
        .subquery()
    )
    return (
        select(
            TemplateRow,
            func.coalesce(downloads.c.n, 0).label("downloads"),
            func.coalesce(forks_q.c.n, 0).label("forks"),
            ratings.c.avg.label("rating_avg"),
            func.coalesce(ratings.c.n, 0).label("rating_count"),
        )
        .outerjoin(downloads, downloads.c.template_id == TemplateRow.id)
        .outerjoin(forks_q, forks_q.c.template_id == TemplateRow.id)
        .outerjoin(ratings, ratings.c.template_id == TemplateRow.id)
    )


def _card(row, downloads: int, forks: int, avg: float | None, count: int) -> TemplateCard:
    return TemplateCard(
        slug=row.slug,
        kind=TemplateKind(row.kind),
        title=row.title,
        description=row.description,
        author=row.author,
        license=row.license,
        tags=list(row.tags or []),
        status=Status(row.status),
        price_cents=row.price_cents,
        latest_version=row.latest_version,
        downloads=downloads,
        forks=forks,
        rating_avg=round(float(avg), 2) if avg is not None else None,
        rating_count=count,
        updated_at=row.updated_at,
    )


def list_templates(
    sf: SessionFactory,
    kind: TemplateKind | None = None,
    tag: str | None = None,
    pricing: Pricing | None = None,
    sort: Sort = "popular",
    status: Status = Status.PUBLISHED,
    author: str | None = None,
    slugs: list[str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[TemplateCard]:
    """Published templates by default; filters combine with AND."""
    query = _card_query().where(TemplateRow.status == status.value)
    if kind:
        query = query.where(TemplateRow.kind == kind.value)
    if pricing == "free":
        query = query.where(TemplateRow.price_cents == 0)
    elif pricing == "paid":
        query = query.where(TemplateRow.price_cents > 0)
    if author:
        query = query.where(TemplateRow.author == author)
    if slugs is not None:
        query = query.where(TemplateRow.slug.in_(slugs))
    with sf() as session, across_workspaces(session):  # counts span workspaces; rows are public
        rows = session.execute(query).all()
    cards = [_card(r[0], r.downloads, r.forks, r.rating_avg, r.rating_count) for r in rows]
    if tag:
        cards = [c for c in cards if tag in c.tags]  # tags are JSON: filter portably in Python
    keys = {
        "popular": lambda c: (-c.downloads - c.forks, -(c.rating_avg or 0), c.title),
        "newest": lambda c: (-c.updated_at.timestamp(), c.title),
        "rating": lambda c: (-(c.rating_avg or 0), -c.rating_count, c.title),
    }
    cards.sort(key=keys[sort])
    return cards[offset : offset + limit]


def template_row(session: Session, slug: str) -> TemplateRow:
    row = session.scalar(select(TemplateRow).where(TemplateRow.slug == slug))
    if row is None:
        raise NotFound(f"template {slug!r} does not exist; list templates to find its slug")
    return row


def version_rows(session: Session, template_id: int) -> list[VersionRow]:
    rows = session.scalars(select(VersionRow).where(VersionRow.template_id == template_id)).all()
    return sorted(rows, key=lambda v: semver_key(v.version), reverse=True)


def published_version(session: Session, template: TemplateRow, version: str | None) -> VersionRow:
    wanted = version or template.latest_version
    for row in version_rows(session, template.id):
        if row.version == wanted and row.status == Status.PUBLISHED.value:
            return row
    raise NotFound(
        f"template {template.slug!r} has no published version {wanted!r}; see its versions list"
    )


def get_template(
    sf: SessionFactory, slug: str, include_unpublished: bool = False
) -> TemplateDetail:
    """Detail of one template: latest published content (sanitised), versions, reviews."""
    with sf() as session:
        row = template_row(session, slug)
        if row.status != Status.PUBLISHED.value and not include_unpublished:
            raise NotFound(f"template {slug!r} is not published (status {row.status})")
        card = list_templates(sf, status=Status(row.status), slugs=[slug])[0]
        versions = version_rows(session, row.id)
        shown = next((v for v in versions if v.version == row.latest_version), None)
        shown = shown or (versions[0] if versions else None)
        stars: dict[str, int] = {
            u: n
            for u, n in session.execute(
                select(RatingRow.user, RatingRow.stars).where(RatingRow.template_id == row.id)
            ).tuples()
        }
        reviews = session.scalars(
            select(ReviewRow)
            .where(ReviewRow.template_id == row.id, ReviewRow.status == "published")
            .order_by(ReviewRow.updated_at.desc())
        ).all()
    visible = [v for v in versions if include_unpublished or v.status == Status.PUBLISHED.value]
    return TemplateDetail(
        **card.model_dump(),
        content=sanitize_markdown(shown.content) if shown else "",
        files={k: sanitize_markdown(v) for k, v in (shown.files if shown else {}).items()},
        versions=[_version_info(v) for v in visible],
        reviews=[
            ReviewInfo(
                id=r.id,
                user=r.user,
                body=r.body,
                status=r.status,
                stars=stars.get(r.user),
                reply=r.reply,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in reviews
        ],
    )


def _version_info(v: VersionRow) -> VersionInfo:
    return VersionInfo(
        version=v.version,
        changelog=v.changelog,
        sha256=v.sha256,
        status=Status(v.status),
        created_at=v.created_at,
        published_at=v.published_at,
    )


def list_versions(sf: SessionFactory, slug: str) -> list[VersionInfo]:
    with sf() as session:
        row = template_row(session, slug)
        return [
            _version_info(v)
            for v in version_rows(session, row.id)
            if v.status == Status.PUBLISHED.value
        ]


def require_entitlement(
    template: TemplateRow, workspace: str, user: str, entitled: EntitlementCheck | None
) -> None:
    """Paid templates need a purchase (a verified checkout) unless you are the author."""
    if template.price_cents == 0 or template.author == user:
        return
    if entitled is None or not entitled(workspace, template.slug):
        raise Forbidden(
            f"template {template.slug!r} is paid ({template.price_cents / 100:.2f}); buy it for "
            f"workspace {workspace!r} first (Buy button or POST /billing checkout)"
        )


@for_workspace_argument
def download(
    sf: SessionFactory,
    slug: str,
    user: str,
    workspace: str,
    version: str | None = None,
    entitled: EntitlementCheck | None = None,
) -> tuple[VersionRow, TemplateRow]:
    """The raw content of a published version; records the download (popularity)."""
    with sf.begin() as session:
        template = template_row(session, slug)
        if template.status != Status.PUBLISHED.value:
            raise NotFound(f"template {slug!r} is not published (status {template.status})")
        require_entitlement(template, workspace, user, entitled)
        row = published_version(session, template, version)
        session.add(
            DownloadRow(
                template_id=template.id,
                version=row.version,
                user=user,
                workspace=workspace,
                at=utcnow(),
            )
        )
        session.expunge(row)
        session.expunge(template)
    return row, template
