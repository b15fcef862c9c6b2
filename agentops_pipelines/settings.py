"""Where AgentOps keeps its state, from environment variables with embedded defaults.

Every path is derived from one home folder so a test can point the whole product at tmp_path.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_SPECS = PROJECT_ROOT / "examples" / "specs"


class Settings(BaseModel):
    home: Path
    specs_path: Path
    artefact_root: Path
    app_db_url: str
    warehouse_path: Path

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
        warehouse_path=Path(env.get("AGENTOPS_WAREHOUSE", home / "warehouse.duckdb")).resolve(),
    )
