"""Sensors on the webhook inbox: spec pushes -> ingest runs; CI results -> QA runs + status sync.

Each sensor keeps the last inbox id it handled as its cursor, committed by Dagster together
with the tick's run requests, so a delivery is acted on once and a crashed tick is replayed.
Replays are harmless: run keys carry the delivery id and status updates are idempotent.
"""

import fnmatch
import json

import dagster as dg
from pydantic import ValidationError

from agentops_pipelines.defs.jobs import SPEC_EDIT_TAGS, spec_pipeline_job
from agentops_pipelines.defs.partitions import SPEC_PARTITIONS_NAME, spec_partitions
from agentops_pipelines.defs.sensors.spec_source import admit, materialized_hashes
from agentops_pipelines.gitops.inbox.events import PushEvent
from agentops_pipelines.gitops.inbox.reader import InboxRow, mark_processed, read_inbox
from agentops_pipelines.gitops.links.push_sync import collect, plan_push, pull_source
from agentops_pipelines.gitops.links.repo_links import list_links
from agentops_pipelines.gitops.status.ci_results import collect_junit
from agentops_pipelines.gitops.status.host_status import (
    apply_check,
    apply_pull_request,
    check_signal,
)
from agentops_pipelines.resources.app_store import AppStoreResource
from agentops_pipelines.resources.gitops import GitOpsResource
from agentops_pipelines.resources.spec_source import SpecSource
from agentops_pipelines.review.render import CHECK_NAME
from agentops_pipelines.settings import settings_for
from agentops_pipelines.specs.layout import skipped_summary

BATCH = 500
CI_EVENTS = frozenset({"check_run", "check_suite", "workflow_run", "status", "pull_request"})
QA_ASSETS = [dg.AssetKey("test_results"), dg.AssetKey("qa_scores")]
OWN_CHECK = f"check:{CHECK_NAME}"


def sensor_interval(environ: dict[str, str] | None = None) -> int:
    """Seconds between ticks from AGENTOPS_GIT_SENSOR_INTERVAL_S; Dagster's floor is 5."""
    return max(5, settings_for(environ).git.sensor_interval_s)


def _cursor(value: str | None) -> int:
    return int(json.loads(value)["inbox_id"]) if value else 0


def _next_cursor(rows: list[InboxRow], previous: int) -> str:
    return json.dumps({"inbox_id": rows[-1].id if rows else previous})


def _valid_pushes(
    context: dg.SensorEvaluationContext, rows: list[InboxRow]
) -> list[tuple[str, PushEvent]]:
    """A payload that does not parse is skipped with a warning, not retried on every tick."""
    out = []
    for row in rows:
        try:
            out.append((row.delivery_id, PushEvent.model_validate(row.payload)))
        except ValidationError as err:
            context.log.warning(
                "push %s skipped: not a valid push payload (%s)", row.delivery_id, err
            )
    return out


@dg.sensor(
    job=spec_pipeline_job,
    minimum_interval_seconds=sensor_interval(),
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def spec_push_sensor(
    context: dg.SensorEvaluationContext,
    gitops: GitOpsResource,
    spec_source: SpecSource,
    app_store: AppStoreResource,
):
    """Push webhooks touching spec paths: add/drop partitions and run exactly those specs through
    the whole per-spec pipeline (raw_spec to pull_request) in one run each."""
    after = _cursor(context.cursor)
    sessions = gitops.sessions()
    rows = read_inbox(sessions, after, BATCH)
    pushes = [r for r in rows if r.event == "push"]
    if not pushes:
        return dg.SensorResult(cursor=_next_cursor(rows, after))
    changes = collect(_valid_pushes(context, pushes), list_links(sessions))
    requests: list = []
    runs: list[dg.RunRequest] = []
    if changes.changed or changes.removed:
        folder = spec_source.folder()
        context.log.info("spec source %s: %s", folder.root, pull_source(folder.root))
        existing = set(context.instance.get_dynamic_partitions(SPEC_PARTITIONS_NAME))
        files, discovery = folder.discover()
        plan = plan_push(changes, files, existing)
        if summary := skipped_summary(discovery):
            context.log.info("spec source %s: %s", folder.root, summary)
        plan = admit(plan, existing, app_store)
        if plan.notice:
            context.log.warning(plan.notice)
        known = materialized_hashes(context.instance, [k for k, _ in plan.runs if k in existing])
        runs = [
            dg.RunRequest(
                partition_key=key,
                run_key=f"push:{changes.last_delivery[key]}:{key}@{digest}",
                tags=SPEC_EDIT_TAGS,
            )
            for key, digest in plan.runs
            if known.get(key) != digest
        ]
        if plan.add_partitions:
            requests.append(spec_partitions.build_add_request(plan.add_partitions))
        if plan.delete_partitions:
            requests.append(spec_partitions.build_delete_request(plan.delete_partitions))
        if plan.missing:
            context.log.warning("pushed specs not found in the spec source: %s", plan.missing)
    mark_processed(sessions, [r.id for r in pushes])
    return dg.SensorResult(
        run_requests=runs, dynamic_partitions_requests=requests, cursor=_next_cursor(rows, after)
    )


def _linked_specs(instance: dg.DagsterInstance, implements: list[str]) -> list[str]:
    """Without a proposal to match, a CI result counts for every spec its repo implements."""
    keys = instance.get_dynamic_partitions(SPEC_PARTITIONS_NAME)
    return sorted(k for k in keys if any(fnmatch.fnmatchcase(k, g) for g in implements))


@dg.sensor(
    target=dg.AssetSelection.groups("qa"),
    minimum_interval_seconds=sensor_interval(),
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def ci_results_sensor(context: dg.SensorEvaluationContext, gitops: GitOpsResource):
    """CI results (check_run, workflow_run, status) and PR state: sync task status, fetch
    JUnit into the spec's ci_results folder, and request test_results + qa_scores."""
    after = _cursor(context.cursor)
    sessions = gitops.sessions()
    rows = read_inbox(sessions, after, BATCH)
    handled = [r for r in rows if r.event in CI_EVENTS]
    others = [r.id for r in rows if r.event != "push" and r.event not in CI_EVENTS]
    links = {link.repo.lower(): link for link in list_links(sessions)}
    host = gitops.host()
    runs: dict[str, dg.RunRequest] = {}
    for row in handled:
        try:
            if row.event == "pull_request":
                apply_pull_request(sessions, row.payload)
                continue
            signal = check_signal(row.event, row.payload)
        except (KeyError, TypeError, AttributeError, ValidationError) as err:
            context.log.warning(
                "%s %s skipped: unexpected payload (%r)", row.event, row.delivery_id, err
            )
            continue
        if signal is None or not signal.completed or signal.name == OWN_CHECK:
            continue  # our own review check is not a CI result
        spec = apply_check(sessions, signal)
        link = links.get(signal.repo.lower())
        specs = (
            [spec]
            if spec
            else _linked_specs(
                context.instance, [link.implements] if link and link.implements else []
            )
        )
        for spec_id in specs:
            found = collect_junit(gitops.home, spec_id, signal, host)
            context.log.info("%s: %d JUnit file(s) for %s", row.delivery_id, found, spec_id)
            runs[spec_id] = dg.RunRequest(
                partition_key=spec_id,
                run_key=f"ci:{row.delivery_id}:{spec_id}",
                asset_selection=QA_ASSETS,
            )
    mark_processed(sessions, [r.id for r in handled] + others)  # e.g. reviews: nothing to do
    return dg.SensorResult(run_requests=list(runs.values()), cursor=_next_cursor(rows, after))
