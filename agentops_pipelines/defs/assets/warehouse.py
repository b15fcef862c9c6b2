"""Raw warehouse tables in DuckDB, one daily partition at a time (Dagster is the only writer).

Each extract is a multi-asset whose asset keys are the dbt sources it feeds (read from the dbt
manifest), so the lineage runs app store -> raw table -> staging model without a hand-kept list.
"""

import json
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg

from agentops_pipelines.defs.assets.dbt import dbt_project
from agentops_pipelines.observability import observed_run
from agentops_pipelines.resources.app_store import AppStoreResource
from agentops_pipelines.resources.spec_source import ArtefactRoot
from agentops_pipelines.resources.warehouse import WarehouseResource
from agentops_pipelines.store.db import make_engine, migrate
from agentops_pipelines.warehouse import writer

# The extract and report modules (polars, plotly) load in the run that needs them, not when a
# process loads the code location.

WAREHOUSE_GROUP = "warehouse"
# end_offset=1: today's partition exists, so the demo and the daily schedule can refresh it.
warehouse_daily = dg.DailyPartitionsDefinition(start_date="2026-01-01", end_offset=1)
_log = logging.getLogger(__name__)


def _source_specs(source_name: str, kinds: set[str]) -> list[dg.AssetSpec]:
    """One asset spec per table of the dbt source `source_name` (keys as dagster-dbt gives them)."""
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    tables = sorted(
        s["name"] for s in manifest["sources"].values() if s["source_name"] == source_name
    )
    return [
        dg.AssetSpec(
            key=[source_name, table],
            group_name=WAREHOUSE_GROUP,
            kinds={"duckdb", *kinds},
            description=f"raw.{table} in the DuckDB warehouse, one daily partition at a time.",
        )
        for table in tables
    ]


def _day(context: dg.AssetExecutionContext) -> date:
    return context.partition_time_window.start.date()


def _results(
    context: dg.AssetExecutionContext, rows: dict[str, int], day: date
) -> Iterator[dg.MaterializeResult]:
    for key in context.selected_asset_keys:
        table = key.path[-1]
        yield dg.MaterializeResult(
            asset_key=key, metadata={"day": str(day), "rows": rows.get(table, 0)}
        )


@dg.multi_asset(
    name="warehouse_app_store",
    specs=_source_specs("app_store", {"sqlite"}),
    partitions_def=warehouse_daily,
    code_version="1",
)
def warehouse_app_store(
    context: dg.AssetExecutionContext, app_store: AppStoreResource, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    """App-store tables of the day (LLM ledger, retrieval queries, inbox, ...) into raw.*."""
    from agentops_pipelines.warehouse.app_store import extract_app_store

    day = _day(context)
    with observed_run(context.run_id):
        migrate(app_store.url)  # a fresh install has no tables yet; reflection needs them
        # The day's bulk read goes to the replica when there is one (AGENTOPS_DB_READ_URL).
        engine = make_engine(app_store.bulk_read_url())
        try:
            with writer(warehouse.file) as conn:
                results = extract_app_store(engine, conn, day)
        finally:
            engine.dispose()
        _log.info("warehouse app store extracted", extra={"day": str(day)})
    context.log.info("extracted %s", json.dumps({r.table: [r.mode, r.rows] for r in results}))
    yield from _results(context, {r.table: r.rows for r in results}, day)


@dg.multi_asset(
    name="warehouse_runs",
    specs=_source_specs("dagster", {"dagster"}),
    partitions_def=warehouse_daily,
    code_version="1",
)
def warehouse_runs(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    """Dagster runs created that day, with status, timings and tags, into raw.dagster_runs."""
    from agentops_pipelines.warehouse.app_store import day_bounds
    from agentops_pipelines.warehouse.runs import RunFact, from_timestamp, write_runs

    day = _day(context)
    start, end = day_bounds(day)
    records = context.instance.get_run_records(
        filters=dg.RunsFilter(created_after=start, created_before=end)
    )
    facts = [
        RunFact(
            run_id=r.dagster_run.run_id,
            job_name=r.dagster_run.job_name,
            status=r.dagster_run.status.value,
            created_at=r.create_timestamp.replace(tzinfo=None),
            started_at=from_timestamp(r.start_time),
            ended_at=from_timestamp(r.end_time),
            partition_key=r.dagster_run.tags.get("dagster/partition"),
            tags=json.dumps(dict(r.dagster_run.tags), sort_keys=True),
        )
        for r in records
    ]
    with observed_run(context.run_id), writer(warehouse.file) as conn:
        count = write_runs(conn, day, facts)
    yield from _results(context, {"dagster_runs": count}, day)


@dg.multi_asset(
    name="warehouse_artefacts",
    specs=_source_specs("artefacts", {"json"}),
    partitions_def=warehouse_daily,
    code_version="1",
)
def warehouse_artefacts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, artefacts: ArtefactRoot
) -> Iterator[dg.MaterializeResult]:
    """That day's snapshot of spec documents and QA scores (for completion trends)."""
    from agentops_pipelines.warehouse.artefacts import snapshot_artefacts

    day = _day(context)
    with observed_run(context.run_id), writer(warehouse.file) as conn:
        counts = snapshot_artefacts(conn, Path(artefacts.path), day)
    yield from _results(context, {"artefacts": sum(counts.values())}, day)


# Weeks start on Monday; end_offset=1 lets the demo render the week in progress.
weekly_report_partitions = dg.WeeklyPartitionsDefinition(
    start_date="2026-01-05", day_offset=1, end_offset=1
)


class WeeklyReportConfig(dg.Config):
    render_charts: bool = True  # PNGs through kaleido + Chromium; off: interactive HTML charts


@dg.asset(
    partitions_def=weekly_report_partitions,
    group_name="metrics",
    kinds={"python", "plotly"},
    deps=[
        dg.AssetKey("fct_llm_cost_daily"),
        dg.AssetKey("fct_workflow_daily"),
        dg.AssetKey("fct_rag_daily"),
    ],
    code_version="1",
)
def weekly_kpi_report(
    context: dg.AssetExecutionContext,
    config: WeeklyReportConfig,
    warehouse: WarehouseResource,
    artefacts: ArtefactRoot,
) -> dg.MaterializeResult:
    """The week's KPI report as Markdown and HTML with PNG charts, kept under kpi_report/."""
    from agentops_pipelines.warehouse.report import build_weekly_report

    week_start = context.partition_time_window.start.date()
    browser = Path(warehouse.browser_path) if warehouse.browser_path else None
    with observed_run(context.run_id):
        report = build_weekly_report(
            warehouse.file, Path(artefacts.path), week_start, config.render_charts, browser
        )
    return dg.MaterializeResult(
        metadata={
            "markdown": dg.MetadataValue.path(report.markdown_path),
            "html": dg.MetadataValue.path(report.html_path),
            "headline": dg.MetadataValue.json(report.headline),
            "charts": dg.MetadataValue.json(report.charts),
            "chart_note": report.chart_note or "",
        }
    )
