"""The two ways `agentops ingest` works: through Dagster (recorded runs) or parse-only."""

from __future__ import annotations

from pydantic import BaseModel
from rich.progress import Progress

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.settings import Settings
from agentops_pipelines.specs.ingest import build_document, load_raw_spec, previous_document
from agentops_pipelines.specs.models import SpecDocument, SpecInputError
from agentops_pipelines.specs.source import SpecFolder


class IngestRow(BaseModel):
    spec_id: str
    status: str  # ingested | unchanged | failed | parsed
    format: str = ""
    requirements: int = 0
    criteria: int = 0
    detail: str = ""


def _row(spec_id: str, status: str, doc: SpecDocument | None, detail: str = "") -> IngestRow:
    if doc is None:
        return IngestRow(spec_id=spec_id, status=status, detail=detail)
    return IngestRow(
        spec_id=spec_id,
        status=status,
        format=doc.format.value,
        requirements=len(doc.requirements),
        criteria=doc.criteria_count,
        detail=detail,
    )


def parse_only(settings: Settings, progress: Progress) -> list[IngestRow]:
    folder = SpecFolder(settings.specs_path)
    store = ArtefactStore(settings.artefact_root)
    files = folder.scan()
    rows = []
    for spec in progress.track(files, description="Parsing specs"):
        try:
            raw = load_raw_spec(folder, spec.key)
            doc = build_document(raw, previous_document(store, spec.key))
            rows.append(_row(spec.key, "parsed", doc))
        except SpecInputError as err:
            rows.append(_row(spec.key, "failed", None, str(err)))
    return rows


QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
"""The CLI prints its own table; Dagster's event log stays in the instance for the UI."""


DEFAULT_INSTANCE_YAML = """\
# Written by `agentops ingest` on first use: SQLite storage under this folder.
# For PostgreSQL, replace this file with deploy/dagster/dagster.yaml.
telemetry:
  enabled: false
run_queue:
  max_concurrent_runs: 2
# A run whose process dies (no failure event) is marked failed by run monitoring and retried.
run_monitoring:
  enabled: true
  start_timeout_seconds: 300
  poll_interval_seconds: 30
run_retries:
  enabled: true
  max_retries: 2
  retry_on_asset_or_op_failure: false
"""


def ensure_instance_config(home) -> None:
    """Without a dagster.yaml Dagster prints a telemetry banner into the CLI's output, and an
    unbounded run queue would start a process per partition at once on a small machine."""
    config = home / "dagster.yaml"
    marker = DEFAULT_INSTANCE_YAML.splitlines()[0]
    # Our own file from an older version is brought up to date; an operator's file is kept.
    if not config.exists() or (
        config.read_text().startswith(marker) and config.read_text() != DEFAULT_INSTANCE_YAML
    ):
        config.write_text(DEFAULT_INSTANCE_YAML)


def cli_instance(settings: Settings):
    """The Dagster instance under the settings' DAGSTER_HOME, opened without touching the
    process environment."""
    import dagster as dg

    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    ensure_instance_config(settings.dagster_home)
    return dg.DagsterInstance.from_config(str(settings.dagster_home))


def _failure_message(result) -> str:
    """The first step failure's message is the dg.Failure description the asset raised."""
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data is not None:
            error = event.step_failure_data.error
            return error.message.strip().splitlines()[-1] if error else "step failed"
    return "run failed"


def ingest_with_dagster(
    settings: Settings, progress: Progress, submit_to: str | None = None
) -> list[IngestRow]:
    """In-process runs one after another, or (submit_to = a webserver URL whose daemon is up)
    queued runs that the deployment's engine executes in parallel."""

    from agentops_pipelines.definitions import build_definitions
    from agentops_pipelines.defs.partitions import SPEC_PARTITIONS_NAME
    from agentops_pipelines.defs.sensors.spec_source import plan_for
    from agentops_pipelines.resources.app_store import build_app_store
    from agentops_pipelines.resources.spec_source import SpecSource

    instance = cli_instance(settings)
    source = SpecSource(path=str(settings.specs_path))
    plan = plan_for(instance, None, source, build_app_store(settings))
    if plan.add_partitions:
        instance.add_dynamic_partitions(SPEC_PARTITIONS_NAME, plan.add_partitions)
    for key in plan.delete_partitions:
        instance.delete_dynamic_partition(SPEC_PARTITIONS_NAME, key)
    store = ArtefactStore(settings.artefact_root)
    to_run = {key for key, _ in plan.runs}
    rows = []
    if submit_to:
        rows += _submitted(submit_to, [key for key, _ in plan.runs], store, progress)
    job = build_definitions(settings).resolve_job_def("spec_pipeline_job")
    for key, _digest in progress.track(
        [] if submit_to else plan.runs, description="Ingesting specs"
    ):
        result = job.execute_in_process(
            partition_key=key, instance=instance, raise_on_error=False, run_config=QUIET
        )
        doc = store.read_model("spec_document", key, SpecDocument)
        if result.success:
            rows.append(_row(key, "ingested", doc))
        else:
            rows.append(_row(key, "failed", None, _failure_message(result)))
    for key in plan.refused:
        rows.append(_row(key, "refused", None, plan.notice or ""))
    for spec in SpecFolder(settings.specs_path).scan():
        if spec.key not in to_run and spec.key not in plan.refused:
            rows.append(
                _row(
                    spec.key, "unchanged", store.read_model("spec_document", spec.key, SpecDocument)
                )
            )
    return sorted(rows, key=lambda r: r.spec_id)


SPEC_ASSETS = ["raw_spec", "spec_document"]


def _submitted(
    url: str, keys: list[str], store: ArtefactStore, progress: Progress
) -> list[IngestRow]:
    """One single-run backfill of the spec assets (the downstream assets follow by automation);
    if it fails (a bad spec fails the whole batch), one run per spec, so only the bad one fails."""
    from agentops_pipelines.runs.submit import (
        submit_backfill,
        submit_partitions,
        wait_for_backfill,
        wait_for_runs,
    )

    if not keys:
        return []
    task = progress.add_task("Backfill (one run)", total=len(keys))
    backfill = submit_backfill(url, SPEC_ASSETS, keys, f"agentops ingest: {len(keys)} specs")
    if wait_for_backfill(url, backfill) == "COMPLETED_SUCCESS":
        progress.update(task, completed=len(keys))
        return [
            _row(
                key,
                "ingested",
                store.read_model("spec_document", key, SpecDocument),
                f"backfill {backfill}",
            )
            for key in keys
        ]
    task = progress.add_task("Queued runs, one per spec", total=len(keys))
    runs = submit_partitions(url, "spec_pipeline_job", keys)
    done = wait_for_runs(url, runs, lambda _key, _status: progress.advance(task))
    rows = []
    for key in keys:
        doc = store.read_model("spec_document", key, SpecDocument)
        if done[key] == "SUCCESS":
            rows.append(_row(key, "ingested", doc, f"run {runs[key][:8]}"))
        else:
            rows.append(_row(key, "failed", None, f"run {runs[key]} {done[key].lower()}"))
    return rows
