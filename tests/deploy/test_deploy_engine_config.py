"""Engine and submission settings: chosen by environment, refused with the variable to fix."""

from __future__ import annotations

import dagster as dg
import pytest

from agentops_pipelines.engine import build_executor, chain_executor, engine_name
from agentops_pipelines.runs.submit import client, daemon_healthy, dagster_url
from agentops_pipelines.settings import load_settings
from tests.deploy.services import free_port


@dg.asset
def probe() -> int:
    return 1


def _executor_of(executor: dg.ExecutorDefinition | None) -> str:
    job = dg.define_asset_job("probe_job", selection=[probe])
    defs = dg.Definitions(assets=[probe], jobs=[job], executor=executor)
    return defs.resolve_job_def("probe_job").executor_def.name


def test_default_keeps_dagsters_default_executor() -> None:
    assert engine_name({}) == "multiprocess"
    assert build_executor({}) is None
    assert _executor_of(build_executor({})) == "multi_or_in_process_executor"
    assert _executor_of(build_executor({"AGENTOPS_EXECUTOR": "in_process"})) == "in_process"


def test_celery_reads_the_broker_from_the_environment() -> None:
    env = {
        "AGENTOPS_EXECUTOR": "Celery",
        "AGENTOPS_CELERY_BROKER": "redis://broker:6379/0",
        "AGENTOPS_CELERY_BACKEND": "redis://broker:6379/1",
    }
    executor = build_executor(env)
    assert executor is not None and _executor_of(executor) == "celery"
    config = executor.config_schema.config_type  # configured: nothing left to supply at launch
    assert config is not None
    assert "redis://broker" not in repr(executor.__dict__)  # URLs stay env var names


def test_chain_jobs_run_in_process_unless_celery_is_chosen() -> None:
    """spec_ingest_job / spec_pipeline_job: one process per run on one machine, the workers'
    engine (the Definitions' executor) when the deployment runs Celery."""
    assert chain_executor({}) is dg.in_process_executor
    assert chain_executor({"AGENTOPS_EXECUTOR": "multiprocess"}) is dg.in_process_executor
    assert chain_executor({"AGENTOPS_EXECUTOR": "celery"}) is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"AGENTOPS_EXECUTOR": "k8s"}, "AGENTOPS_EXECUTOR='k8s' is not an engine"),
        ({"AGENTOPS_EXECUTOR": "celery"}, "needs AGENTOPS_CELERY_BROKER"),
        (
            {"AGENTOPS_EXECUTOR": "celery", "AGENTOPS_CELERY_BROKER": "redis://b"},
            "needs AGENTOPS_CELERY_BACKEND",
        ),
    ],
)
def test_bad_engine_settings_name_the_variable(env: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_executor(env)


def test_submission_needs_a_url_and_a_live_daemon() -> None:
    assert dagster_url({}) is None
    assert dagster_url({"AGENTOPS_DAGSTER_URL": " http://dagster:3000 "}) == "http://dagster:3000"
    with pytest.raises(ValueError, match="AGENTOPS_DAGSTER_URL='dagster:3000'"):
        client("dagster:3000")
    assert daemon_healthy(f"http://127.0.0.1:{free_port()}") is False  # nothing listens


def test_read_replica_url_is_optional() -> None:
    assert load_settings({}).app_db_read_url is None
    replica = "postgresql+psycopg2://ro@replica:5432/agentops"
    assert load_settings({"AGENTOPS_DB_READ_URL": replica}).app_db_read_url == replica
