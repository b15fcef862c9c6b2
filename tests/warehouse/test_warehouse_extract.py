"""Extraction into raw DuckDB tables: the day's rows only, idempotent per partition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import sqlalchemy as sa
from warehouse_seed import seed_app_store

from agentops_pipelines.store.db import make_engine
from agentops_pipelines.warehouse import writer
from agentops_pipelines.warehouse.app_store import extract_app_store, plan_tables
from agentops_pipelines.warehouse.artefacts import snapshot_artefacts

DAY = datetime(2026, 3, 2, tzinfo=UTC)


def _count(path: Path, table: str, where: str = "true") -> int:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(f"select count(*) from raw.{table} where {where}").fetchone()[0]


def test_warehouse_extract_is_idempotent_per_day(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    seed_app_store(url, DAY)
    engine = make_engine(url)
    warehouse = tmp_path / "wh.duckdb"
    for _ in range(2):  # the second run replaces the day, it does not append
        with writer(warehouse) as conn:
            results = {r.table: r for r in extract_app_store(engine, conn, DAY.date())}
    assert results["llm_ledger"].rows == 4  # the row of the day before is not in this day
    assert results["llm_ledger"].mode == "incremental"
    assert results["llm_budget"].mode == "snapshot"
    assert _count(warehouse, "llm_ledger") == 4
    assert _count(warehouse, "retrieval_queries") == 2
    with writer(warehouse) as conn:
        extract_app_store(engine, conn, (DAY - timedelta(days=1)).date())
    assert _count(warehouse, "llm_ledger") == 5
    assert _count(warehouse, "llm_budget") == 2  # one snapshot per day


def test_warehouse_extract_leaves_out_free_text_and_adds_new_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    seed_app_store(url, DAY)
    engine = make_engine(url)
    plans = {p.table: p for p in plan_tables(engine)}
    assert "payload" not in plans["webhook_inbox"].columns  # raw webhook bodies stay put
    assert "query" not in plans["retrieval_queries"].columns  # search text may hold PII
    assert "llm_cache" not in plans and "alembic_version" not in plans
    warehouse = tmp_path / "wh.duckdb"
    with writer(warehouse) as conn:
        extract_app_store(engine, conn, DAY.date())
    with engine.begin() as conn:  # a later migration adds a column: the raw table follows
        conn.execute(sa.text("alter table llm_ledger add column region varchar(20)"))
        conn.execute(sa.text("update llm_ledger set region = 'eu'"))
    with writer(warehouse) as conn:
        extract_app_store(engine, conn, DAY.date())
    assert _count(warehouse, "llm_ledger", "region = 'eu'") == 4


def test_warehouse_artefact_snapshot_per_day(tmp_path: Path) -> None:
    root = tmp_path / "artefacts"
    (root / "spec_document").mkdir(parents=True)
    (root / "spec_document" / "a.json").write_text('{"spec_id": "a", "requirements": [1, 2]}')
    warehouse = tmp_path / "wh.duckdb"
    for _ in range(2):
        with writer(warehouse) as conn:
            counts = snapshot_artefacts(conn, root, DAY.date())
    assert counts["spec_document"] == 1
    assert _count(warehouse, "artefacts") == 1


def test_warehouse_assets_materialise_a_partition_twice(
    tmp_path: Path, monkeypatch, agentops_home: Path
) -> None:
    from agentops_pipelines.defs.assets.warehouse import warehouse_app_store, warehouse_runs
    from agentops_pipelines.resources import build_resources

    url = f"sqlite:///{agentops_home / 'app.db'}"
    seed_app_store(url, DAY)
    instance = dg.DagsterInstance.ephemeral()
    for _ in range(2):
        result = dg.materialize(
            [warehouse_app_store, warehouse_runs],
            partition_key="2026-03-02",
            instance=instance,
            resources=build_resources(),
        )
        assert result.success
    ledger = [
        m
        for m in result.asset_materializations_for_node("warehouse_app_store")
        if m.asset_key == dg.AssetKey(["app_store", "llm_ledger"])
    ]
    assert ledger[0].metadata["rows"].value == 4
    assert _count(agentops_home / "warehouse.duckdb", "llm_ledger") == 4
