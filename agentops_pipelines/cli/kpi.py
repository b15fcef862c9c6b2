"""`agentops kpi`: refresh the KPI warehouse through Dagster (runs show in the UI), the same
jobs the nightly schedules run: extract one day, dbt build with tests and alert checks, and
optionally the week's report."""

from __future__ import annotations

from datetime import UTC, datetime

import typer
from rich.console import Console

from agentops_pipelines.settings import get_settings

console = Console()


def kpi_command(
    day: str = typer.Option(None, help="UTC day to extract, YYYY-MM-DD (default: today)"),
    report: bool = typer.Option(False, help="Also render this week's KPI report (PNG charts)"),
) -> None:
    """Extract a day into the DuckDB warehouse, then build the dbt marts and run the alerts."""

    from agentops_pipelines.cli.ingest import QUIET, cli_instance
    from agentops_pipelines.definitions import build_definitions
    from agentops_pipelines.defs.assets.warehouse import weekly_report_partitions

    settings = get_settings()
    target = day or datetime.now(UTC).strftime("%Y-%m-%d")
    try:
        moment = datetime.strptime(target, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as err:
        raise typer.BadParameter(f"--day {target!r} is not a date: use YYYY-MM-DD") from err
    instance = cli_instance(settings)
    loaded = build_definitions(settings)
    steps: list[tuple[str, str | None]] = [("warehouse_job", target), ("metrics_job", None)]
    if report:
        week = weekly_report_partitions.get_partition_key_for_timestamp(moment.timestamp())
        steps.append(("kpi_report_job", week))
    failed = False
    for job_name, partition in steps:
        result = loaded.resolve_job_def(job_name).execute_in_process(
            partition_key=partition, instance=instance, raise_on_error=False, run_config=QUIET
        )
        failed |= not result.success
        alerts = [
            e for e in result.get_asset_check_evaluations() if e.check_name.startswith("alert_")
        ]
        fired = [e.check_name for e in alerts if not e.passed]
        console.print(
            f"{job_name} {partition or ''}: {'ok' if result.success else 'FAILED'} "
            f"(run {result.run_id[:8]})" + (f"; alerts firing: {', '.join(fired)}" if fired else "")
        )
    console.print(f"warehouse: {settings.warehouse_path}")
    if failed:
        raise typer.Exit(code=1)
