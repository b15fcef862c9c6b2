"""Fixtures shared by every test area: paths and an isolated AgentOps home."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (PROJECT_ROOT / ".." / "shared" / "data").resolve()
EXAMPLE_SPECS = PROJECT_ROOT / "examples" / "specs"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data not found at {SHARED_DATA}: clone with shared/ beside the repo")
    return SHARED_DATA


@pytest.fixture
def agentops_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every store (artefacts, app db, warehouse, Dagster home) at tmp_path."""
    home = tmp_path / "agentops"
    monkeypatch.setenv("AGENTOPS_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    monkeypatch.delenv("AGENTOPS_ARTEFACT_ROOT", raising=False)
    monkeypatch.delenv("AGENTOPS_DB_URL", raising=False)
    monkeypatch.delenv("AGENTOPS_WAREHOUSE", raising=False)
    (home / "dagster").mkdir(parents=True)
    return home
