"""Which Dagster executor runs the steps of every job, chosen by configuration, not code.

`AGENTOPS_EXECUTOR`:
* `multiprocess` (default): Dagster's own default executor (one process per step on the run's
  machine; run config may still pick in-process);
* `in_process`: every step in the run process (smallest footprint, one core);
* `celery`: steps go to a Celery queue and `dagster-celery` workers on any machine run them.
  The broker and result backend come from `AGENTOPS_CELERY_BROKER` / `AGENTOPS_CELERY_BACKEND`
  (read by Dagster at launch, so the URLs never sit in run config or the UI).

Every engine needs the artefact root on storage that all step processes see (a shared volume
under Celery or Kubernetes), since the IO manager writes JSON files there.
"""

from __future__ import annotations

from collections.abc import Mapping

import dagster as dg

from agentops_pipelines.settings import Settings, settings_for

EXECUTOR_ENV = "AGENTOPS_EXECUTOR"
BROKER_ENV = "AGENTOPS_CELERY_BROKER"
BACKEND_ENV = "AGENTOPS_CELERY_BACKEND"
ENGINES = ("multiprocess", "in_process", "celery")


def engine_name(environ: Mapping[str, str] | None = None, settings: Settings | None = None) -> str:
    name = (settings or settings_for(environ)).orchestration.executor
    if name not in ENGINES:
        raise ValueError(
            f"{EXECUTOR_ENV}={name!r} is not an engine; use one of {', '.join(ENGINES)}"
        )
    return name


def chain_executor(
    environ: Mapping[str, str] | None = None, settings: Settings | None = None
) -> dg.ExecutorDefinition | None:
    """The executor of the per-spec chain jobs (spec_ingest_job, spec_pipeline_job): in the run
    process on one machine (a process per step would reload the code location for each step),
    but on the Celery workers when the deployment chose them (None: the Definitions' executor)."""
    return None if engine_name(environ, settings) == "celery" else dg.in_process_executor


def build_executor(
    environ: Mapping[str, str] | None = None, settings: Settings | None = None
) -> dg.ExecutorDefinition | None:
    s = settings or settings_for(environ)
    name = engine_name(settings=s)
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return None  # Definitions' default: multi_or_in_process_executor
    orchestration = s.orchestration
    urls = ((BROKER_ENV, orchestration.celery_broker), (BACKEND_ENV, orchestration.celery_backend))
    for var, value in urls:
        if not value:
            raise ValueError(
                f"{EXECUTOR_ENV}=celery needs {var}: set it to the broker URL, e.g. "
                "redis://redis:6379/0 (backend: redis://redis:6379/1)"
            )
    from dagster_celery import celery_executor  # only where the Celery engine is chosen

    return celery_executor.configured(
        {
            "broker": {"env": BROKER_ENV},
            "backend": {"env": BACKEND_ENV},
            # Acknowledged when finished: a step whose worker dies goes back to the queue and
            # another worker runs it (the same settings as deploy/celery/worker.yaml). Without
            # this, dagster-celery sees a WorkerLostError and stops submitting steps while the
            # run waits for the rest: the run hangs.
            "config_source": {
                "task_acks_late": True,
                "task_reject_on_worker_lost": True,
                "worker_prefetch_multiplier": 1,
                "broker_transport_options": {"visibility_timeout": 3600},
            },
        },
        name="celery",
    )
