"""KPI refresh: extract yesterday every night, rebuild the marts (dbt build + alert checks) after,
and render the weekly report on Monday mornings (UTC)."""

from datetime import datetime, timedelta

import dagster as dg

from agentops_pipelines.defs.assets.warehouse import warehouse_daily, weekly_report_partitions

warehouse_job = dg.define_asset_job(
    "warehouse_job",
    selection=dg.AssetSelection.groups("warehouse"),
    partitions_def=warehouse_daily,
    description="Extract one day of app store, Dagster runs and artefacts into DuckDB.",
)

metrics_job = dg.define_asset_job(
    "metrics_job",
    selection=dg.AssetSelection.groups("metrics") - dg.AssetSelection.assets("weekly_kpi_report"),
    description="dbt build of dbt_metrics (tests and alert rules run as asset checks).",
)

kpi_report_job = dg.define_asset_job(
    "kpi_report_job",
    selection=dg.AssetSelection.assets("weekly_kpi_report"),
    partitions_def=weekly_report_partitions,
    description="Render one week's KPI report (Markdown + HTML + PNG charts).",
)


def _day_before(moment: datetime) -> str:
    return (moment - timedelta(days=1)).strftime("%Y-%m-%d")


@dg.schedule(job=warehouse_job, cron_schedule="10 0 * * *", execution_timezone="UTC")
def warehouse_daily_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Yesterday is complete at 00:10 UTC: extract it (re-running a day is idempotent)."""
    day = _day_before(context.scheduled_execution_time)
    return dg.RunRequest(run_key=f"warehouse-{day}", partition_key=day)


@dg.schedule(job=metrics_job, cron_schedule="40 0 * * *", execution_timezone="UTC")
def metrics_daily_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """After the nightly extract: rebuild the marts; dbt tests and alerts run as checks."""
    return dg.RunRequest(run_key=f"metrics-{_day_before(context.scheduled_execution_time)}")


@dg.schedule(job=kpi_report_job, cron_schedule="0 6 * * 1", execution_timezone="UTC")
def kpi_weekly_report_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Monday 06:00 UTC: the report of the week that ended yesterday."""
    week = (context.scheduled_execution_time - timedelta(days=7)).strftime("%Y-%m-%d")
    return dg.RunRequest(run_key=f"kpi-report-{week}", partition_key=week)
