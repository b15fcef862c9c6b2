"""Read-only queries over the dbt marts, shared by the KPI page, the weekly report and alerts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from agentops_pipelines.warehouse.duck import read_only, table_exists

MART_SCHEMA = "main"
# Mart -> its date column; the page, report and alerts filter every mart on it.
DATED_MARTS: dict[str, str] = {
    "fct_llm_cost_daily": "call_date",
    "fct_cache_savings_daily": "call_date",
    "fct_provider_health_daily": "call_date",
    "fct_rag_daily": "query_date",
    "fct_workflow_daily": "run_date",
    "fct_spec_completion_daily": "snapshot_date",
    "fct_budget_burndown": "call_date",
}
UNDATED_MARTS = ("fct_cost_per_requirement", "fct_time_to_first_workflow")
# Marts that exist only once their source domain has landed (suggestions, PRs, marketplace).
OPTIONAL_MARTS: dict[str, str] = {
    "fct_suggestion_acceptance": "day",
    "fct_pr_daily": "day",
    "fct_marketplace_daily": "day",
}


def available_marts(warehouse: Path) -> list[str]:
    """Marts present in the warehouse file (none when it is missing or dbt never ran)."""
    if not warehouse.exists():
        return []
    with read_only(warehouse) as conn:
        return [
            name
            for name in [*DATED_MARTS, *UNDATED_MARTS, *OPTIONAL_MARTS]
            if table_exists(conn, MART_SCHEMA, name)
        ]


def date_column(mart: str) -> str | None:
    return DATED_MARTS.get(mart) or OPTIONAL_MARTS.get(mart)


def read_mart(
    warehouse: Path, mart: str, start: date | None = None, end: date | None = None
) -> pl.DataFrame:
    """One mart, filtered to [start, end] on its date column when it has one."""
    column = date_column(mart)
    sql = f'select * from {MART_SCHEMA}."{mart}"'
    params: list[object] = []
    if column and start is not None and end is not None:
        sql += f' where "{column}" between ? and ?'
        params = [start, end]
    if column:
        sql += f' order by "{column}"'
    with read_only(warehouse) as conn:
        return conn.execute(sql, params).pl()


def date_range(warehouse: Path) -> tuple[date, date] | None:
    """First and last day with LLM cost or workflow data, for the page's default range."""
    if "fct_llm_cost_daily" not in available_marts(warehouse):
        return None
    with read_only(warehouse) as conn:
        row = conn.execute(
            "select min(d), max(d) from ("
            "select call_date as d from main.fct_llm_cost_daily union all "
            "select run_date from main.fct_workflow_daily union all "
            "select query_date from main.fct_rag_daily)"
        ).fetchone()
    if not row or row[0] is None:
        return None
    return row[0], row[1]
