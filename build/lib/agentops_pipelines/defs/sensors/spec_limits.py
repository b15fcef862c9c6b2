"""The plan's spec limit at the door: new specs beyond it get no partition and no run.

Shared by the polling sensor, the push sensor and the CLI. Off unless AGENTOPS_PLAN_LIMITS=on;
a refused spec is picked up by the polling sensor once the plan has room.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.limits import SpecAdmission, admit_specs
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import open_store


@lru_cache(maxsize=4)
def _store(url: str) -> sessionmaker[Session]:
    return open_store(url)


def spec_admission(existing: set[str], add: list[str], delete: list[str]) -> SpecAdmission | None:
    """None when limits are off or nothing is new; else which of `add` fit the plan."""
    settings = load_settings()
    if not settings.plan_limits or not add:
        return None
    kept = len(existing - set(delete))
    return admit_specs(_store(settings.app_db_url), settings.workspace, kept, add)
