"""The configured door to the KPI warehouse: the DuckDB file the extracts write and dbt builds."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from agentops_pipelines.settings import Settings


class WarehouseResource(dg.ConfigurableResource):
    """`path` is handed to dbt as a var (`agentops_warehouse`), so the extracts and dbt share
    one file without touching the process environment."""

    path: str
    browser_path: str | None = None  # Chromium for the report's PNG charts

    @property
    def file(self) -> Path:
        return Path(self.path)

    def dbt_vars(self) -> str:
        """`--vars` for dbt: profiles.yml reads the DuckDB path from `agentops_warehouse`."""
        import json

        return json.dumps({"agentops_warehouse": self.path})


def build_warehouse(settings: Settings) -> WarehouseResource:
    browser = settings.warehouse.browser_path
    return WarehouseResource(
        path=str(settings.warehouse_path), browser_path=str(browser) if browser else None
    )
