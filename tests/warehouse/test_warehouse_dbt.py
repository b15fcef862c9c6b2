"""dbt build through the dagster-dbt assets: every model built, every dbt test green, marts
computed from the seeded app store and the Dagster instance's own runs."""

from __future__ import annotations

import duckdb
import pytest
from warehouse_build import BuiltWarehouse

DBT_CHECK_PREFIXES = ("not_null", "unique", "accepted_values")


def _one(built: BuiltWarehouse, sql: str) -> tuple:
    with duckdb.connect(str(built.path), read_only=True) as conn:
        return conn.execute(sql).fetchone()


def test_warehouse_dbt_build_all_tests_green(built_warehouse: BuiltWarehouse) -> None:
    assert built_warehouse.extract.success
    assert built_warehouse.build.success
    evaluations = built_warehouse.build.get_asset_check_evaluations()
    dbt_tests = [e for e in evaluations if e.check_name.startswith(DBT_CHECK_PREFIXES)]
    assert len(dbt_tests) >= 40
    assert [e.check_name for e in dbt_tests if not e.passed] == []
    built = {e.asset_key.path[-1] for e in built_warehouse.build.get_asset_materialization_events()}
    assert {"fct_llm_cost_daily", "fct_budget_burndown", "fct_rag_daily"} <= built
    assert _one(built_warehouse, "select count(*) from main.fct_llm_cost_daily")[0] == 3


def test_warehouse_marts_costs_and_savings(built_warehouse: BuiltWarehouse) -> None:
    cost, savings = _one(
        built_warehouse,
        "select sum(cost_usd), sum(cache_savings_usd) from main.fct_llm_cost_daily",
    )
    assert cost == pytest.approx(0.2515)
    assert savings == pytest.approx(0.0015)  # the cache hit re-used request 'a' (1500 micros)
    errors, rate = _one(
        built_warehouse,
        "select errors, error_rate from main.fct_provider_health_daily where provider='mistral'",
    )
    assert (errors, rate) == (1, 1.0)
    pct = _one(
        built_warehouse,
        "select pct_used from main.fct_budget_burndown where workspace = 'acme'",
    )[0]
    assert pct == pytest.approx(0.0015 / 0.001666)


def test_warehouse_marts_rag_workflows_first_workflow(built_warehouse: BuiltWarehouse) -> None:
    queries, failures, p95 = _one(
        built_warehouse,
        "select sum(queries), sum(failures), max(latency_p95_ms) from main.fct_rag_daily",
    )
    assert (queries, failures, p95) == (2, 1, 12.5)
    succeeded, failed = _one(
        built_warehouse, "select sum(succeeded), sum(failed) from main.fct_workflow_daily"
    )
    assert succeeded >= 1 and failed >= 1  # the probe runs of this instance, not constants
    hours = _one(
        built_warehouse,
        "select hours_to_first_workflow from main.fct_time_to_first_workflow "
        "where workspace = 'acme'",
    )[0]
    assert hours is not None


def test_warehouse_alert_checks_run_after_dbt_and_notify(built_warehouse: BuiltWarehouse) -> None:
    alerts = {
        e.check_name: e
        for e in built_warehouse.build.get_asset_check_evaluations()
        if e.check_name.startswith("alert_")
    }
    assert alerts["alert_budget_over_80pct"].passed is False  # acme spent 90 % of its budget
    assert alerts["alert_budget_exhausted"].passed is True
    assert alerts["alert_retrieval_failure_rate"].passed is True  # 2 searches < min_volume
    bodies = [body for _headers, body in built_warehouse.webhook_posts]
    assert [b["rule"] for b in bodies] == ["budget_over_80pct"]
    assert bodies[0]["breaches"]["acme"] == pytest.approx(0.9, abs=0.01)
    assert bodies[0]["correlation_id"] == built_warehouse.build.run_id


def test_warehouse_marts_suggestions_prs_marketplace(built_warehouse: BuiltWarehouse) -> None:
    decided, accepted, rate = _one(
        built_warehouse,
        "select decided, accepted, acceptance_rate from main.fct_suggestion_acceptance "
        "where feature = 'specgpt' and template = 'rest_service'",
    )
    assert (decided, accepted, rate) == (2, 1, 0.5)
    attempts, created, pr_rate = _one(
        built_warehouse, "select push_attempts, prs_created, pr_success_rate from main.fct_pr_daily"
    )
    assert (attempts, created, pr_rate) == (2, 1, 0.5)
    row = _one(
        built_warehouse,
        "select uploads, downloads, forks, ratings, avg_stars, revenue "
        "from main.fct_marketplace_daily",
    )
    assert row == (1, 2, 1, 2, 4.5, 5.0)
