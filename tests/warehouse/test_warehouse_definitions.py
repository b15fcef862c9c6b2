"""The code location holds the warehouse extracts, the dbt models with their tests and alert
checks, the KPI jobs, schedules and the dbt resource."""

from __future__ import annotations

import dagster as dg


def test_warehouse_definitions_load(agentops_home) -> None:
    from agentops_pipelines.definitions import defs

    loaded = defs()
    graph = loaded.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"app_store/llm_ledger", "dagster/dagster_runs", "artefacts/artefacts"} <= keys
    assert {"stg_llm__ledger", "fct_llm_cost_daily", "fct_budget_burndown"} <= keys
    assert "weekly_kpi_report" in keys
    ledger = graph.get(dg.AssetKey(["app_store", "llm_ledger"]))
    assert isinstance(ledger.partitions_def, dg.DailyPartitionsDefinition)
    assert graph.get(dg.AssetKey("stg_llm__ledger")).parent_keys == {ledger.key}
    checks = {k.name for k in graph.asset_check_keys}
    assert "unique_stg_llm__ledger_ledger_id" in checks
    assert "alert_budget_over_80pct" in checks
    for job in ("warehouse_job", "metrics_job", "kpi_report_job"):
        assert loaded.resolve_job_def(job) is not None
    for schedule in ("warehouse_daily_schedule", "metrics_daily_schedule"):
        assert loaded.resolve_schedule_def(schedule) is not None
    assert "dbt" in (loaded.resources or {})
