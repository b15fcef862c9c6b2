"""Reads of the KPI page: short-lived read-only DuckDB connections behind st.cache_data.

Every loader takes the warehouse path and its modification time, so a new dbt build (which
rewrites the file) changes the cache key and the page shows fresh numbers without a restart,
while re-renders in between never touch DuckDB (and never hold its lock against the writer).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from agentops_pipelines.settings import get_settings
from agentops_pipelines.warehouse.duck import WarehouseLocked
from agentops_pipelines.warehouse.marts import available_marts, date_range, read_mart

CACHE_TTL_SECONDS = 600


def warehouse_path() -> str:
    return str(get_settings().warehouse_path)


def warehouse_mtime(path: str) -> float:
    """Newest mtime of the DuckDB file and its WAL (0.0 when there is no warehouse yet)."""
    stamps = [p.stat().st_mtime for p in (Path(path), Path(path + ".wal")) if p.exists()]
    return max(stamps, default=0.0)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_available(path: str, mtime: float) -> list[str]:
    return available_marts(Path(path))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_date_range(path: str, mtime: float) -> tuple[date, date] | None:
    return date_range(Path(path))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_mart(
    path: str, mtime: float, mart: str, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    return read_mart(Path(path), mart, start, end).to_pandas()


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def mart_csv(
    path: str,
    mtime: float,
    mart: str,
    start: date | None = None,
    end: date | None = None,
    filters: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> bytes:
    """The CSV export of a (filtered) mart, built once per filter set, not on every rerun."""
    frame = filter_frame(
        load_mart(path, mtime, mart, start, end), **{c: list(v) for c, v in filters}
    )
    return frame.to_csv(index=False).encode("utf-8")


def filter_frame(frame: pd.DataFrame, **choices: list[str]) -> pd.DataFrame:
    """Keep rows whose column is among the chosen values (an empty choice keeps all)."""
    for column, values in choices.items():
        if values and column in frame.columns:
            frame = frame[frame[column].isin(values)]
    return frame


__all__ = [
    "WarehouseLocked",
    "filter_frame",
    "load_available",
    "load_date_range",
    "load_mart",
    "mart_csv",
    "warehouse_mtime",
    "warehouse_path",
]
