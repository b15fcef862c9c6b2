"""The last failed pipeline run of a spec, read from the Dagster instance, and its retry.

The Specs page and `agentops specs` show why a spec's plan/QA/PR are stale: the failing step and
its error (redacted, one line), and offer to launch the spec's pipeline again. Dagster is
imported lazily: the page only pays for it when a spec is stale.
"""

from __future__ import annotations

from typing import Any

from agentops_pipelines.security.redact import redact
from agentops_pipelines.settings import get_settings
from agentops_pipelines.specs.freshness import DownstreamStatus, LastFailure

PIPELINE_JOB = "spec_pipeline_job"
_MAX_REASON = 300


def _reason(text: str) -> str:
    """First non-empty line, secrets redacted, bounded: a banner line, not a traceback."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "no error message")
    line = redact(line).text
    return line if len(line) <= _MAX_REASON else line[: _MAX_REASON - 1] + "…"


def last_failure(instance: Any, spec_id: str) -> LastFailure | None:
    """The latest finished run of the spec's partition, if it failed (None if it succeeded)."""
    import dagster as dg

    records = instance.get_run_records(
        filters=dg.RunsFilter(
            tags={"dagster/partition": spec_id},
            statuses=[
                dg.DagsterRunStatus.SUCCESS,
                dg.DagsterRunStatus.FAILURE,
                dg.DagsterRunStatus.CANCELED,
            ],
        ),
        limit=1,
    )
    if not records or records[0].dagster_run.status != dg.DagsterRunStatus.FAILURE:
        return None
    record = records[0]
    run_id = record.dagster_run.run_id
    step, reason = None, "the run failed without a failure event (the run monitor retries it)"
    kinds = {
        dg.DagsterEventType.STEP_FAILURE,
        dg.DagsterEventType.RUN_FAILURE,
        dg.DagsterEventType.ENGINE_EVENT,
    }
    engine_error = run_message = None
    for entry in instance.all_logs(run_id, of_type=kinds):
        event = entry.dagster_event
        outer = error = getattr(event.event_specific_data, "error", None)
        while error is not None and error.cause is not None:  # Dagster wraps the user's error
            error = error.cause
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:  # names the cause: use it
            step, reason = event.step_key, (error.message if error else "") or event.message or ""
            break
        if event.event_type == dg.DagsterEventType.ENGINE_EVENT and outer is not None:
            engine_error = engine_error or outer.message  # Dagster's own: code server timed out
        elif event.event_type == dg.DagsterEventType.RUN_FAILURE:
            run_message = event.message
    else:
        reason = engine_error or run_message or reason
    end = record.end_time
    return LastFailure(run_id=run_id, reason=_reason(reason), step=step, at=end)


def with_last_failure(status: DownstreamStatus | None) -> DownstreamStatus | None:
    """`status` with its spec's last failed run when it is not fresh; unchanged without a
    Dagster instance (no DAGSTER_HOME folder yet) or when the instance cannot be read."""
    if status is None or status.fresh:
        return status
    home = get_settings().dagster_home
    if not home.is_dir():
        return status
    try:
        import dagster as dg

        with dg.DagsterInstance.from_config(str(home)) as instance:
            status.failure = last_failure(instance, status.spec_id)
    except Exception:  # noqa: BLE001 - the stale state is still worth showing without it
        return status
    return status


def retry(spec_id: str, url: str) -> str:
    """Queue the spec's pipeline again through the Dagster webserver at `url`; the new run id."""
    from agentops_pipelines.runs.submit import submit_partitions

    return submit_partitions(url, PIPELINE_JOB, [spec_id])[spec_id]
