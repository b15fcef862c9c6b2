"""The warehouse the KPI tests share: seeded app store and Dagster runs, extracted, dbt-built
(with the alert checks) once per session. Imported by name (not `from conftest`), which stays
unambiguous when several test folders are collected together."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest
from warehouse_listeners import WebhookListener
from warehouse_seed import seed_app_store, seed_other_domains

from agentops_pipelines.settings import reset_settings

TODAY = datetime.now(UTC)
DAY = TODAY.strftime("%Y-%m-%d")


@dataclass
class BuiltWarehouse:
    env: dict[str, str]
    extract: dg.ExecuteInProcessResult
    build: dg.ExecuteInProcessResult
    webhook_posts: list = field(default_factory=list)
    success_run_id: str = ""

    @property
    def path(self) -> Path:
        return Path(self.env["AGENTOPS_WAREHOUSE"])


def warehouse_env(home: Path) -> dict[str, str]:
    return {
        "AGENTOPS_HOME": str(home),
        "AGENTOPS_ARTEFACT_ROOT": str(home / "artefacts"),
        "DAGSTER_HOME": str(home / "dagster"),
        "AGENTOPS_DB_URL": f"sqlite:///{home / 'app.db'}",
        "AGENTOPS_WAREHOUSE": str(home / "warehouse.duckdb"),
        "AGENTOPS_LOG_FORMAT": "plain",
    }


@dg.asset
def kpi_probe_ok() -> None:
    """A workflow that succeeds."""


@dg.asset
def kpi_probe_fails() -> None:
    """A workflow that fails."""
    raise RuntimeError("probe failure")


def build_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    from agentops_pipelines.defs.assets.dbt import alert_checks, dbt_metrics_models
    from agentops_pipelines.defs.assets.warehouse import (
        warehouse_app_store,
        warehouse_artefacts,
        warehouse_runs,
    )
    from agentops_pipelines.resources import build_resources

    home = tmp_path_factory.mktemp("kpi") / "agentops"
    (home / "dagster").mkdir(parents=True)
    with WebhookListener() as hook:
        env = warehouse_env(home) | {"AGENTOPS_ALERT_WEBHOOK_URL": hook.url}
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        reset_settings()
        try:
            instance = dg.DagsterInstance.ephemeral()
            ok = dg.materialize([kpi_probe_ok], instance=instance)
            dg.materialize([kpi_probe_fails], instance=instance, raise_on_error=False)
            seed_app_store(env["AGENTOPS_DB_URL"], TODAY, run_id=ok.run_id)
            seed_other_domains(env["AGENTOPS_DB_URL"], TODAY)
            assets = [warehouse_app_store, warehouse_runs, warehouse_artefacts]
            resources = build_resources()
            extract = dg.materialize(
                assets, partition_key=DAY, instance=instance, resources=resources
            )
            build = dg.materialize(
                [dbt_metrics_models, *alert_checks],
                resources={"dbt": resources["dbt"], "warehouse": resources["warehouse"]},
                instance=instance,
                raise_on_error=False,
            )
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            reset_settings()
        yield BuiltWarehouse(env, extract, build, list(hook.received), ok.run_id)
