"""Extract app-store tables (SQLAlchemy, read-only) into DuckDB raw tables, one day at a time.

The tables are reflected, not imported, so a domain that adds a table in its own Alembic branch
reaches the warehouse with no change here: a new source is one dbt staging model. A table with a
timestamp column is copied incrementally (the rows of that day); a table without one (budgets,
catalogues) is copied whole as that day's snapshot.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import duckdb
import polars as pl
import sqlalchemy as sa
from pydantic import BaseModel

from agentops_pipelines.store.acting_workspace import system_scope
from agentops_pipelines.warehouse.duck import ensure_table, replace_partition

# Never copied: schema bookkeeping, the response cache (bulk prompt text).
EXCLUDED_TABLES = frozenset({"alembic_version", "llm_cache"})
# Free text that may carry prompts, payloads or PII; KPIs need none of it.
EXCLUDED_COLUMNS = frozenset(
    {"payload", "messages", "last_output", "text", "query", "body", "content", "prompt"}
    | {"diff", "new_text", "proposal", "files", "evidence", "changelog", "meta", "reason"}
    | {"reply", "answer", "resolution_note", "detail", "remote_url", "hosted_invoice_url"}
)
# Rows that change after they are written (statuses, ratings): copied whole every day, so the
# latest snapshot holds each row's current state instead of the state on its creation day.
SNAPSHOT_TABLES = frozenset(
    {
        "assistant_suggestion",
        "gitops_proposals",
        "gitops_task_status",
        "mp_template",
        "mp_rating",
        "mp_review",
        "billing_purchase",
        "billing_subscription",
        "billing_invoice",
        "workspace_feature",
    }
)
# The timestamp that decides a row's day, when the first DateTime column is not the right one.
TIME_COLUMNS: dict[str, str] = {"webhook_inbox": "received_at", "retrieval_queries": "at"}
_PREFERRED_TIME = ("at", "created_at", "received_at", "occurred_at", "uploaded_at", "updated_at")


class TablePlan(BaseModel):
    """How one app-store table reaches the warehouse."""

    table: str
    columns: dict[str, str]  # name -> DuckDB type
    time_column: str | None  # None: whole-table snapshot per day


class ExtractResult(BaseModel):
    table: str
    mode: str
    rows: int


def _duck_type(kind: sa.types.TypeEngine) -> str:
    if isinstance(kind, sa.Boolean):
        return "boolean"
    if isinstance(kind, sa.Integer):
        return "bigint"
    if isinstance(kind, sa.Float | sa.Numeric):
        return "double"
    if isinstance(kind, sa.DateTime):
        return "timestamp"
    if isinstance(kind, sa.Date):
        return "date"
    return "varchar"


def plan_tables(engine: sa.Engine) -> list[TablePlan]:
    """Every copyable table of the app store, with its columns and time column."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    plans = []
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        if table.name in EXCLUDED_TABLES:
            continue
        columns = {
            c.name: _duck_type(c.type) for c in table.columns if c.name not in EXCLUDED_COLUMNS
        }
        times = [c.name for c in table.columns if isinstance(c.type, sa.DateTime)]
        chosen = TIME_COLUMNS.get(table.name) or next(
            (n for n in _PREFERRED_TIME if n in times), times[0] if times else None
        )
        if table.name in SNAPSHOT_TABLES:
            chosen = None
        plans.append(TablePlan(table=table.name, columns=columns, time_column=chosen))
    return plans


def _plain(value: Any) -> Any:
    """Values DuckDB takes as they are: naive UTC datetimes, JSON text, floats for decimals."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, Decimal):
        return float(value)
    return value


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def _frame(rows: list[Any], names: list[str], types: dict[str, str]) -> pl.DataFrame:
    data = [[_plain(v) for v in row] for row in rows]
    overrides = {n: pl.Utf8 for n in names if types[n] == "varchar"}
    return pl.DataFrame(
        data, schema=names, orient="row", infer_schema_length=None, schema_overrides=overrides
    )


def extract_table(
    engine: sa.Engine, conn: duckdb.DuckDBPyConnection, plan: TablePlan, day: date
) -> ExtractResult:
    table = sa.Table(plan.table, sa.MetaData(), autoload_with=engine)
    names = list(plan.columns)
    query = sa.select(*(table.c[n] for n in names))
    if plan.time_column:
        start, end = day_bounds(day)
        column = table.c[plan.time_column]
        if engine.dialect.name == "sqlite":  # stored naive (UTC) by SQLAlchemy
            start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
        query = query.where(column >= start, column < end)
    with engine.connect() as source:
        rows = list(source.execute(query))
    ensure_table(conn, plan.table, plan.columns)
    frame = _frame(rows, names, plan.columns) if rows else None
    count = replace_partition(conn, plan.table, day, frame, names)
    mode = "incremental" if plan.time_column else "snapshot"
    return ExtractResult(table=plan.table, mode=mode, rows=count)


def extract_app_store(
    engine: sa.Engine, conn: duckdb.DuckDBPyConnection, day: date
) -> list[ExtractResult]:
    """Every workspace's rows of `day`: the KPI warehouse is the operator's view, and its marts
    and pages filter by workspace (row-level security would otherwise keep only the
    deployment's)."""
    with system_scope():
        return [extract_table(engine, conn, plan, day) for plan in plan_tables(engine)]
