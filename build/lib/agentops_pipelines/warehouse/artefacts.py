"""Daily snapshots of selected artefacts (spec documents, QA scores) as JSON text in DuckDB.

Artefacts hold the current state only; a snapshot per day is what turns them into a trend (spec
completion over time). The staging models parse the JSON, so a new artefact source is one
staging model plus its kind in `SNAPSHOT_KINDS`. Re-materialising a past day replaces that day's
snapshot with the current state: artefacts keep no history to go back to.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.warehouse.duck import ensure_table, replace_partition

ARTEFACTS_TABLE = "artefacts"
SNAPSHOT_KINDS = ("spec_document", "qa_scores", "test_results")
ARTEFACT_COLUMNS = {"kind": "varchar", "key": "varchar", "doc": "varchar"}


def snapshot_artefacts(
    conn: duckdb.DuckDBPyConnection,
    root: Path,
    day: date,
    kinds: tuple[str, ...] = SNAPSHOT_KINDS,
) -> dict[str, int]:
    """Copy every artefact of `kinds` as that day's snapshot; returns rows per kind."""
    store = ArtefactStore(root)
    rows: list[dict[str, str]] = []
    counts: dict[str, int] = {}
    for kind in kinds:
        keys = store.keys(kind)
        for key in keys:
            text = store.read_text(kind, key)
            if text is not None:
                rows.append({"kind": kind, "key": key, "doc": text})
        counts[kind] = len(keys)
    ensure_table(conn, ARTEFACTS_TABLE, ARTEFACT_COLUMNS)
    frame = pl.DataFrame(rows, schema={n: pl.Utf8 for n in ARTEFACT_COLUMNS}) if rows else None
    replace_partition(conn, ARTEFACTS_TABLE, day, frame, list(ARTEFACT_COLUMNS))
    return counts
