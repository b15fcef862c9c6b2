"""Which GitHub repository holds a spec folder, and which one receives a spec's changes.

A link names the repository (`owner/name`), the git remote pushed to (an https URL, or a local
path in tests and air-gapped setups), its base branch, and optionally the folder of specs in it
(`spec_root` + `spec_globs`, for push webhooks) and a glob over spec ids it implements (for PRs).
"""

from __future__ import annotations

import fnmatch
import json
from datetime import UTC, datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.change_tables import RepoLinkRow

DEFAULT_SPEC_GLOBS = ("**/*.md",)


class RepoLink(BaseModel):
    repo: str = Field(description="owner/name on the Git host")
    remote_url: str = Field(description="git remote to push to (https URL or local path)")
    base_branch: str = "main"
    spec_root: str | None = Field(default=None, description="folder of specs in this repo")
    spec_globs: list[str] = Field(default_factory=lambda: list(DEFAULT_SPEC_GLOBS))
    implements: str | None = Field(default=None, description="glob over spec ids it implements")


def _model(row: RepoLinkRow) -> RepoLink:
    return RepoLink(
        repo=row.repo,
        remote_url=row.remote_url,
        base_branch=row.base_branch,
        spec_root=row.spec_root,
        spec_globs=json.loads(row.spec_globs),
        implements=row.implements,
    )


def save_link(sessions: sessionmaker, link: RepoLink) -> RepoLink:
    """Insert or replace the link of `link.repo` (a repo has one link)."""
    if "/" not in link.repo.strip("/"):
        raise ValueError(f"repo {link.repo!r} must be written owner/name, e.g. acme/shop")
    with sessions.begin() as session:
        row = session.scalar(select(RepoLinkRow).where(RepoLinkRow.repo == link.repo))
        if row is None:
            row = RepoLinkRow(repo=link.repo, created_at=datetime.now(UTC))
            session.add(row)
        row.remote_url = link.remote_url
        row.base_branch = link.base_branch
        row.spec_root = link.spec_root
        row.spec_globs = json.dumps(link.spec_globs)
        row.implements = link.implements
    return link


def list_links(sessions: sessionmaker) -> list[RepoLink]:
    with sessions() as session:
        return [_model(r) for r in session.scalars(select(RepoLinkRow).order_by(RepoLinkRow.id))]


def link_for_repo(sessions: sessionmaker, repo: str) -> RepoLink | None:
    for link in list_links(sessions):
        if link.repo.lower() == repo.lower():
            return link
    return None


def link_for_spec(sessions: sessionmaker, spec_id: str) -> RepoLink | None:
    """The first link whose `implements` glob matches the spec id."""
    for link in list_links(sessions):
        if link.implements and fnmatch.fnmatchcase(spec_id, link.implements):
            return link
    return None
