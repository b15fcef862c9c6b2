"""The KPI warehouse: raw tables in DuckDB extracted from the app store, the Dagster instance and
the artefact root. Dagster assets are the only writers; everything else opens read-only."""

import shutil
import sys
from pathlib import Path

from agentops_pipelines.settings import PROJECT_ROOT
from agentops_pipelines.warehouse.duck import RAW_SCHEMA, WarehouseLocked, read_only, writer

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_metrics"


def dbt_profiles_dir() -> Path:
    """DBT_PROFILES_DIR when set (a deployment's own profile), else the project's profiles.yml."""
    from agentops_pipelines.settings import get_settings

    return get_settings().warehouse.dbt_profiles_dir


def dbt_executable() -> str:
    """The dbt beside this interpreter (a venv that is not activated has no dbt on PATH)."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


__all__ = [
    "DBT_PROJECT_DIR",
    "RAW_SCHEMA",
    "WarehouseLocked",
    "dbt_executable",
    "dbt_profiles_dir",
    "read_only",
    "writer",
]
