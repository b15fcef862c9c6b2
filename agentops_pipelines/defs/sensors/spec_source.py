"""Poll the spec source: keep one partition per spec and run only new or changed specs."""

import json

import dagster as dg

from agentops_pipelines.billing.limits import spec_admission
from agentops_pipelines.defs.jobs import SPEC_EDIT_TAGS, spec_pipeline_job
from agentops_pipelines.defs.partitions import SPEC_PARTITIONS_NAME, spec_partitions
from agentops_pipelines.resources.app_store import AppStoreResource, build_app_store
from agentops_pipelines.resources.spec_source import SpecSource
from agentops_pipelines.specs.layout import skipped_summary
from agentops_pipelines.specs.sync import Plan, SyncPlan, drop_new_specs, plan_sync


def materialized_hashes(instance: dg.DagsterInstance, keys: list[str]) -> dict[str, str]:
    """Content hash of each partition's latest raw_spec materialisation.

    Seeds an empty sensor cursor, so specs already ingested (by the CLI or an earlier sensor)
    are not ingested again.
    """
    hashes: dict[str, str] = {}
    for key in keys:
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey("raw_spec"), asset_partitions=[key]),
            limit=1,
        ).records
        if records and records[0].asset_materialization:
            value = records[0].asset_materialization.metadata.get("content_hash")
            if value is not None:
                hashes[key] = str(value.value)
    return hashes


def plan_for(
    instance: dg.DagsterInstance,
    cursor: str | None,
    source: SpecSource,
    app_store: AppStoreResource | None = None,
) -> SyncPlan:
    """`app_store` unset (the CLI, scripts): the process's settings."""
    if app_store is None:
        from agentops_pipelines.settings import get_settings

        app_store = build_app_store(get_settings())
    existing = set(instance.get_dynamic_partitions(SPEC_PARTITIONS_NAME))
    if not cursor:
        cursor = json.dumps(materialized_hashes(instance, sorted(existing)))
    files, discovery = source.folder().discover()
    plan = plan_sync(cursor, files, existing)
    plan.skipped = skipped_summary(discovery)
    return admit(plan, existing, app_store)


def admit(plan: Plan, existing: set[str], app_store: AppStoreResource) -> Plan:
    """`plan` without the new specs the workspace's plan has no room for (its notice says so)."""
    admission = spec_admission(
        existing,
        plan.add_partitions,
        plan.delete_partitions,
        plan_limits=app_store.plan_limits,
        sessions=app_store.sessions,
        workspace=app_store.workspace,
    )
    if admission and admission.refused:
        plan = drop_new_specs(plan, admission.refused, admission.message)
    return plan


def partition_requests(
    plan: SyncPlan,
) -> list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest]:
    requests: list = []
    if plan.add_partitions:
        requests.append(spec_partitions.build_add_request(plan.add_partitions))
    if plan.delete_partitions:
        requests.append(spec_partitions.build_delete_request(plan.delete_partitions))
    return requests


# One run per new or changed spec carries it from raw_spec to pull_request in one process
# (in-process executor): no run per eager hop, no code-location load per step.
@dg.sensor(
    job=spec_pipeline_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def spec_source_sensor(
    context: dg.SensorEvaluationContext, spec_source: SpecSource, app_store: AppStoreResource
):
    """Scans the spec folder; the cursor holds each spec's content hash."""
    plan = plan_for(context.instance, context.cursor, spec_source, app_store)
    if plan.notice:
        context.log.warning(plan.notice)
    if plan.skipped:
        context.log.info("spec source %s: %s", spec_source.path, plan.skipped)
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(partition_key=key, run_key=f"{key}@{digest}", tags=SPEC_EDIT_TAGS)
            for key, digest in plan.runs
        ],
        dynamic_partitions_requests=partition_requests(plan),
        cursor=plan.cursor,
    )
