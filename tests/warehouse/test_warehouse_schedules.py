"""The nightly extract asks for yesterday's partition; the weekly report for last week."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg

from agentops_pipelines.defs.schedules import (
    kpi_weekly_report_schedule,
    metrics_daily_schedule,
    warehouse_daily_schedule,
)


def test_warehouse_schedules_pick_complete_periods() -> None:
    at = datetime(2026, 3, 10, 0, 10, tzinfo=UTC)
    context = dg.build_schedule_context(scheduled_execution_time=at)
    request = warehouse_daily_schedule(context)
    assert request.partition_key == "2026-03-09"
    assert metrics_daily_schedule(context).run_key == "metrics-2026-03-09"
    monday = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 3, 9, 6, tzinfo=UTC))
    assert kpi_weekly_report_schedule(monday).partition_key == "2026-03-02"
