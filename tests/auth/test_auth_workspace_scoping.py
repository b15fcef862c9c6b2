"""Two workspaces side by side: links and proposals are scoped, the migration moves existing rows
to `default`, and on PostgreSQL row-level security hides the other workspace even from raw SQL."""

from __future__ import annotations

import secrets

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.auth.context import set_acting
from agentops_pipelines.auth.principal import Principal
from agentops_pipelines.auth.roles import Role
from agentops_pipelines.gitops.changes.proposals import (
    ProposedChange,
    ProposedFile,
    get_proposal,
    list_proposals,
    upsert_proposal,
)
from agentops_pipelines.gitops.links.repo_links import RepoLink, list_links, save_link
from agentops_pipelines.store.db import MIGRATIONS, make_engine, open_store


def _as(workspace: str) -> None:
    set_acting(Principal(subject="x", workspace=workspace, role=Role.OWNER, via="test"))


def _change(spec: str) -> ProposedChange:
    return ProposedChange(
        spec_id=spec, repo="acme/shop", base="main", branch=f"agentops/{spec}/t",
        title=spec, source="plan_checklist", task_ids=["T-1"],
        files=[ProposedFile(path="docs/t.md", content="x\n")],
    )  # fmt: skip


def _two_workspaces(sessions: sessionmaker) -> tuple[int, int]:
    try:
        _as("red")
        save_link(sessions, RepoLink(repo="red/specs", remote_url="https://github.com/red/s"))
        red, _ = upsert_proposal(sessions, _change("red/spec.md"))
        _as("blue")
        blue, _ = upsert_proposal(sessions, _change("blue/spec.md"))
        assert [p.spec_id for p in list_proposals(sessions)] == ["blue/spec.md"]
        assert list_links(sessions) == []
        with pytest.raises(LookupError):
            get_proposal(sessions, red.id)
        _as("red")
        assert [p.spec_id for p in list_proposals(sessions)] == ["red/spec.md"]
        assert [link.repo for link in list_links(sessions)] == ["red/specs"]
        return red.id, blue.id
    finally:
        set_acting(None)


def test_workspaces_see_only_their_links_and_proposals_on_sqlite(tmp_path) -> None:
    _two_workspaces(open_store(f"sqlite:///{tmp_path / 'app.db'}"))


@pytest.mark.postgres
def test_row_level_security_hides_other_workspaces_from_raw_sql(pg_url: str) -> None:
    sessions = open_store(pg_url)
    red_id, blue_id = _two_workspaces(sessions)
    # Superusers bypass row-level security: the app connects as an ordinary role, as here.
    role = f"agentops_app_{secrets.token_hex(4)}"  # roles are cluster-wide: a name of its own
    with make_engine(pg_url).begin() as conn:
        conn.execute(text(f"create role {role} nologin nosuperuser nobypassrls"))
        conn.execute(text(f"grant select, update on gitops_proposals to {role}"))
    try:
        _as("blue")
        with sessions() as session:  # no workspace filter at all: the policy still applies
            session.execute(text(f"set local role {role}"))
            ids = session.execute(text("select id from gitops_proposals")).scalars().all()
            updated = session.execute(text("update gitops_proposals set title = 'pwned'"))
            assert updated.rowcount == 1
            session.rollback()
        assert ids == [blue_id]
    finally:
        set_acting(None)
    # A transaction that never names a workspace sees nothing.
    with make_engine(pg_url).begin() as conn:
        conn.execute(text(f"set local role {role}"))
        assert conn.execute(text("select count(*) from gitops_proposals")).scalar_one() == 0
    with make_engine(pg_url).begin() as conn:
        conn.execute(text(f"drop owned by {role}"))
        conn.execute(text(f"drop role {role}"))
    assert red_id != blue_id


def _migrate_existing_rows(url: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "gitops_0002")
    with make_engine(url).begin() as conn:
        conn.execute(
            text(
                "insert into gitops_repo_links (repo, remote_url, base_branch, spec_globs, "
                "created_at) values ('old/repo', 'https://github.com/old/repo', 'main', '[]', "
                "CURRENT_TIMESTAMP)"
            )
        )
    command.upgrade(config, "heads")
    set_acting(None)
    assert [link.repo for link in list_links(open_store(url))] == ["old/repo"]  # in `default`
    try:
        _as("other")
        assert list_links(open_store(url)) == []
    finally:
        set_acting(None)


def test_migration_moves_existing_rows_to_default_on_sqlite(tmp_path) -> None:
    _migrate_existing_rows(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
def test_migration_moves_existing_rows_to_default_on_postgres(pg_url: str) -> None:
    _migrate_existing_rows(pg_url)
