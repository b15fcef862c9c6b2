"""Every workspace-owned app-store table, on SQLite and PostgreSQL: a query that forgets the
workspace filter still sees only its own workspace; on PostgreSQL, row-level security refuses
another workspace's rows even to raw SQL; the migration moves old rows to `default`."""

from __future__ import annotations

import importlib
import secrets
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.store.acting_workspace import within
from agentops_pipelines.store.db import MIGRATIONS, Base, make_engine, open_store
from agentops_pipelines.store.scoping import WorkspaceKeyed, WorkspaceScoped

MODULES = (
    "agentops_pipelines.billing.tables",
    "agentops_pipelines.marketplace.tables",
    "agentops_pipelines.assistant.tables",
    "agentops_pipelines.llm.tables",
    "agentops_pipelines.retrieval.query_log",
    "agentops_pipelines.gitops.change_tables",
)
for _module in MODULES:
    importlib.import_module(_module)

# Parents first: a row's foreign keys point at rows made before it.
ORDER = (
    "assistant_suggestion",
    "assistant_decision",
    "mp_fork",
    "mp_notification",
    "mp_download",
)


def _owned() -> list[type]:
    found = [
        m.class_
        for m in Base.registry.mappers
        if issubclass(m.class_, WorkspaceKeyed | WorkspaceScoped)
    ]
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(found, key=lambda c: (rank.get(c.__tablename__, -1), c.__tablename__))


OWNED = _owned()
OWNER_COLUMN = {
    c.__tablename__: "workspace" if issubclass(c, WorkspaceKeyed) else "workspace_id" for c in OWNED
}
EXPECTED = {
    "billing_event", "billing_customer", "billing_subscription", "billing_purchase",
    "billing_entitlement", "billing_invoice", "billing_seat", "assistant_suggestion",
    "assistant_usage", "assistant_decision", "llm_ledger", "llm_review_queue", "mp_download",
    "mp_fork", "mp_notification", "retrieval_queries", "gitops_repo_links", "gitops_proposals",
}  # fmt: skip


def _value(column: Any, workspace: str, made: dict[str, int]) -> Any:
    if column.foreign_keys:
        (fk,) = column.foreign_keys
        return made[fk.column.table.name]
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 1
    if isinstance(kind, Float):
        return 0.0
    if isinstance(kind, DateTime):
        return datetime.now(UTC)
    if isinstance(kind, JSON):
        return []
    return f"{workspace}-{column.table.name}-{column.name}"[: getattr(kind, "length", None) or 200]


def _row(model: type, workspace: str, made: dict[str, int]) -> Any:
    values: dict[str, Any] = {}
    for column in model.__table__.columns:
        if column.name in ("workspace", "workspace_id"):
            values[column.name] = workspace
        elif column.primary_key and isinstance(column.type, Integer) and not column.foreign_keys:
            continue  # autoincrement
        elif not column.nullable or column.primary_key:
            values[column.name] = _value(column, workspace, made)
    return model(**values)


def _template(sessions: sessionmaker[Session]) -> int:
    from agentops_pipelines.marketplace.tables import TemplateRow

    with sessions.begin() as session:
        row = _row(TemplateRow, "public", {})
        session.add(row)
        session.flush()
        return row.id


def _fill(sessions: sessionmaker[Session], workspace: str, template_id: int) -> None:
    made = {"mp_template": template_id}
    with within(workspace), sessions.begin() as session:
        for model in OWNED:
            row = _row(model, workspace, made)
            session.add(row)
            session.flush()
            made[model.__tablename__] = getattr(row, "id", None) or 0


def _counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:  # no workspace filter anywhere in these queries
        return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in OWNED}


def test_every_listed_table_is_owned_by_a_workspace() -> None:
    assert set(OWNER_COLUMN) == EXPECTED


def test_a_query_without_a_workspace_filter_sees_only_its_workspace(store_url: str) -> None:
    sessions = open_store(store_url)
    template = _template(sessions)
    _fill(sessions, "red", template)
    _fill(sessions, "blue", template)
    for workspace in ("red", "blue"):
        with within(workspace):
            assert _counts(sessions) == dict.fromkeys(OWNER_COLUMN, 1), workspace
            with sessions() as session:
                for model in OWNED:
                    owners = set(
                        session.scalars(select(getattr(model, OWNER_COLUMN[model.__tablename__])))
                    )
                    assert owners == {workspace}, model.__tablename__
    with within("green"):  # a workspace with nothing sees nothing
        assert _counts(sessions) == dict.fromkeys(OWNER_COLUMN, 0)


@pytest.fixture
def app_role(store_url: str):
    """An ordinary role (superusers and BYPASSRLS roles skip row-level security)."""
    if not store_url.startswith("postgresql"):
        pytest.skip("row-level security is PostgreSQL's")
    role = f"agentops_app_{secrets.token_hex(4)}"  # roles are cluster-wide: a name of its own
    open_store(store_url)  # the schema, so there are tables to grant on
    with make_engine(store_url).begin() as conn:
        conn.execute(text(f"create role {role} nologin nosuperuser nobypassrls"))
        for table in OWNER_COLUMN:
            conn.execute(text(f"grant select, insert, update, delete on {table} to {role}"))
    yield role
    with make_engine(store_url).begin() as conn:
        conn.execute(text(f"drop owned by {role}"))
        conn.execute(text(f"drop role {role}"))


def test_row_level_security_hides_other_workspaces_from_raw_sql(
    store_url: str, app_role: str
) -> None:
    sessions = open_store(store_url)
    template = _template(sessions)
    _fill(sessions, "red", template)
    _fill(sessions, "blue", template)
    engine = make_engine(store_url)
    for table, column in OWNER_COLUMN.items():
        with within("blue"), engine.begin() as conn:  # raw SQL: no filter, no ORM
            conn.execute(text(f"set local role {app_role}"))
            owners = conn.execute(text(f"select {column} from {table}")).scalars().all()
            assert owners == ["blue"], table
            changed = conn.execute(text(f"update {table} set {column} = {column}")).rowcount
            assert changed == 1, table
        refused = pytest.raises(DBAPIError, match="row-level security")
        with within("blue"), refused, engine.begin() as conn:  # moving a row out is refused
            conn.execute(text(f"set local role {app_role}"))
            conn.execute(text(f"update {table} set {column} = 'red'"))
        with engine.begin() as conn:  # names no workspace of its own: deployment `default`
            conn.execute(text(f"set local role {app_role}"))
            assert conn.execute(text(f"select count(*) from {table}")).scalar_one() == 0, table
    engine.dispose()


def _alembic(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def test_migration_moves_existing_rows_to_their_workspace(store_url: str) -> None:
    """Rows from before scoping: a decision takes its suggestion's workspace, a search-log line
    (which named none) goes to `default`; rows that named a workspace keep it."""
    config = _alembic(store_url)
    for revision in ("assistant_0001", "retrieval_0001", "billing_0002"):
        command.upgrade(config, revision)
    now = datetime.now(UTC)
    with make_engine(store_url).begin() as conn:
        conn.execute(
            text(
                "insert into assistant_suggestion (workspace, spec_id, feature, kind, title, "
                "proposal, diff, base_hash, new_text, template, template_version, model, status, "
                "created_by, created_at) values ('acme', 's.md', 'suggest', 'k', 't', 'p', 'd', "
                "'h', 'n', 'tpl', '1', 'm', 'accepted', 'ada', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "insert into assistant_decision (suggestion_id, decision, decided_by, decided_at)"
                " values ((select max(id) from assistant_suggestion), 'accept', 'ada', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "insert into retrieval_queries (at, query, mode, backend, filters, top_k, "
                "result_count, latency_ms, source) values (:now, 'q', 'bm25', 'embedded', '{}',"
                " 5, 0, 1.0, 'cli')"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "insert into billing_entitlement (workspace, kind, key, active, source, "
                "granted_at) values ('acme', 'plan', 'team', true, 'evt_1', :now)"
            ),
            {"now": now},
        )
    command.upgrade(config, "heads")
    from agentops_pipelines.assistant.tables import DecisionRow
    from agentops_pipelines.billing.tables import BillingEntitlementRow
    from agentops_pipelines.retrieval.query_log import RetrievalQuery

    sessions = open_store(store_url)
    with within("acme"), sessions() as session:
        assert [d.workspace_id for d in session.scalars(select(DecisionRow))] == ["acme"]
        assert [e.key for e in session.scalars(select(BillingEntitlementRow))] == ["team"]
        assert session.scalars(select(RetrievalQuery)).all() == []
    with within("default"), sessions() as session:
        assert [q.query for q in session.scalars(select(RetrievalQuery))] == ["q"]
        assert session.scalars(select(DecisionRow)).all() == []
