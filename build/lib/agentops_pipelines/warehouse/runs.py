"""Dagster runs as warehouse rows. The asset turns run records into `RunFact`s (this package never
imports Dagster) and this module writes them for one day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import polars as pl
from pydantic import BaseModel

from agentops_pipelines.warehouse.duck import ensure_table, replace_partition

RUNS_TABLE = "dagster_runs"
RUN_COLUMNS: dict[str, str] = {
    "run_id": "varchar",
    "job_name": "varchar",
    "status": "varchar",
    "created_at": "timestamp",
    "started_at": "timestamp",
    "ended_at": "timestamp",
    "partition_key": "varchar",
    "tags": "varchar",
}


class RunFact(BaseModel):
    run_id: str
    job_name: str
    status: str
    created_at: datetime
    started_at: datetime | None = None
    ended_at: datetime | None = None
    partition_key: str | None = None
    tags: str = "{}"  # JSON of the run's tags (no secrets: Dagster tags are plain labels)


def from_timestamp(value: float | None) -> datetime | None:
    """Run records keep epoch seconds; the warehouse keeps naive UTC timestamps."""
    if value is None:
        return None
    return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)


def write_runs(conn: duckdb.DuckDBPyConnection, day: date, runs: list[RunFact]) -> int:
    ensure_table(conn, RUNS_TABLE, RUN_COLUMNS)
    names = list(RUN_COLUMNS)
    frame = None
    if runs:
        frame = pl.DataFrame(
            [r.model_dump() for r in runs],
            schema={
                "run_id": pl.Utf8,
                "job_name": pl.Utf8,
                "status": pl.Utf8,
                "created_at": pl.Datetime("us"),
                "started_at": pl.Datetime("us"),
                "ended_at": pl.Datetime("us"),
                "partition_key": pl.Utf8,
                "tags": pl.Utf8,
            },
        )
    return replace_partition(conn, RUNS_TABLE, day, frame, names)
