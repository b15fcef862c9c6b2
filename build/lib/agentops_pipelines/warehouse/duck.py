"""DuckDB connections: one writer at a time (Dagster), short-lived read-only readers.

DuckDB locks the whole file per process: a writer cannot open while any other process holds it
(even read-only), and a reader cannot open while a writer does. Both sides therefore retry for a
bounded time instead of failing on the first lock conflict, and readers keep connections short.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb

RAW_SCHEMA = "raw"
PARTITION_COLUMN = "_partition_date"
_LOCK_MARKERS = ("lock", "Conflicting", "being used")


class WarehouseLocked(RuntimeError):
    """Another process holds the DuckDB file for longer than we were willing to wait."""


def _connect(path: Path, read_only_mode: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only_mode)
        except duckdb.IOException as exc:
            if not any(m in str(exc) for m in _LOCK_MARKERS) or time.monotonic() > deadline:
                if any(m in str(exc) for m in _LOCK_MARKERS):
                    raise WarehouseLocked(
                        f"warehouse {path} is locked by another process ({exc}); "
                        "wait for the running Dagster materialisation to finish and retry"
                    ) from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


@contextmanager
def writer(path: Path, wait_s: float = 120.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """The single-writer connection; only Dagster assets call this."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path, read_only_mode=False, wait_s=wait_s)
    try:
        conn.execute(f"create schema if not exists {RAW_SCHEMA}")
        yield conn
    finally:
        conn.close()


@contextmanager
def read_only(path: Path, wait_s: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection for pages, alerts and reports."""
    conn = _connect(path, read_only_mode=True, wait_s=wait_s)
    try:
        yield conn
    finally:
        conn.close()


def table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    row = conn.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def existing_columns(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    rows = conn.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return {r[0] for r in rows}


def ensure_table(conn: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str]) -> None:
    """Create raw.<table> or add the columns a newer app-store migration introduced."""
    columns = {**columns, PARTITION_COLUMN: "date", "_extracted_at": "timestamp"}
    if not table_exists(conn, RAW_SCHEMA, table):
        cols = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
        conn.execute(f'create table {RAW_SCHEMA}."{table}" ({cols})')
        return
    have = existing_columns(conn, RAW_SCHEMA, table)
    for name, kind in columns.items():
        if name not in have:
            conn.execute(f'alter table {RAW_SCHEMA}."{table}" add column "{name}" {kind}')


def replace_partition(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    day: date,
    frame: object | None,
    names: list[str],
) -> int:
    """Delete the day and insert its rows in one transaction: re-running a day is idempotent."""
    conn.execute("begin transaction")
    try:
        conn.execute(f'delete from {RAW_SCHEMA}."{table}" where {PARTITION_COLUMN} = ?', [day])
        count = 0
        if frame is not None and names:
            conn.register("_incoming", frame)
            quoted = ", ".join(f'"{n}"' for n in names)
            conn.execute(
                f'insert into {RAW_SCHEMA}."{table}" ({quoted}, {PARTITION_COLUMN}, _extracted_at) '
                f"select {quoted}, ?::date, now()::timestamp from _incoming",
                [day],
            )
            conn.unregister("_incoming")
            row = conn.execute(
                f'select count(*) from {RAW_SCHEMA}."{table}" where {PARTITION_COLUMN} = ?', [day]
            ).fetchone()
            count = int(row[0]) if row else 0
        conn.execute("commit")
        return count
    except BaseException:
        conn.execute("rollback")
        raise
