"""Where AgentOps keeps its state, from environment variables with embedded defaults.

Every path is derived from one home folder so a test can point the whole product at tmp_path.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_SPECS = PROJECT_ROOT / "examples" / "specs"
DEFAULT_WORKSPACE = "default"
_SWITCH = {"on": True, "true": True, "1": True, "off": False, "false": False, "0": False, "": False}


class Settings(BaseModel):
    home: Path
    specs_path: Path
    artefact_root: Path
    app_db_url: str
    # A read replica (or a PgBouncer pool in front of one) for bulk reads: the KPI extract.
    app_db_read_url: str | None = None
    warehouse_path: Path
    workspace: str = DEFAULT_WORKSPACE
    plan_limits: bool = False

    @property
    def dagster_home(self) -> Path:
        return Path(os.environ.get("DAGSTER_HOME", self.home / "dagster"))


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    home = Path(env.get("AGENTOPS_HOME", PROJECT_ROOT / ".agentops")).resolve()
    return Settings(
        home=home,
        specs_path=Path(env.get("AGENTOPS_SPECS_PATH", BUNDLED_SPECS)).resolve(),
        artefact_root=Path(env.get("AGENTOPS_ARTEFACT_ROOT", home / "artefacts")).resolve(),
        app_db_url=env.get("AGENTOPS_DB_URL", f"sqlite:///{home / 'app.db'}"),
        app_db_read_url=env.get("AGENTOPS_DB_READ_URL") or None,
        warehouse_path=Path(env.get("AGENTOPS_WAREHOUSE", home / "warehouse.duckdb")).resolve(),
        workspace=current_workspace(env),
        plan_limits=_switch(env, "AGENTOPS_PLAN_LIMITS"),
    )


def current_workspace(environ: Mapping[str, str] | None = None) -> str:
    """The workspace this deployment's pipeline, router and pages act for."""
    env = os.environ if environ is None else environ
    return env.get("AGENTOPS_WORKSPACE", "").strip() or DEFAULT_WORKSPACE


def _switch(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value not in _SWITCH:
        raise ValueError(f"{name}={env[name]!r} is not a switch; set it to on or off")
    return _SWITCH[value]
