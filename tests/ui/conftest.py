"""Fixtures for the UI tests: AGENTOPS_* pointed at a seeded (or empty) tmp home."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_seed import seed_artefacts


@pytest.fixture
def seeded_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """AGENTOPS_* pointed at tmp_path, artefact root seeded; also returned for subprocesses."""
    home = tmp_path / "agentops"
    env = {
        "AGENTOPS_HOME": str(home),
        "AGENTOPS_ARTEFACT_ROOT": str(seed_artefacts(home / "artefacts")),
        "DAGSTER_HOME": str(home / "dagster"),
        "AGENTOPS_DB_URL": f"sqlite:///{home / 'app.db'}",
        "AGENTOPS_WAREHOUSE": str(home / "warehouse.duckdb"),
    }
    (home / "dagster").mkdir(parents=True)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def empty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """AGENTOPS_* pointed at an empty home: no artefacts at all."""
    home = tmp_path / "empty"
    monkeypatch.setenv("AGENTOPS_HOME", str(home))
    monkeypatch.setenv("AGENTOPS_ARTEFACT_ROOT", str(home / "artefacts"))
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    return home / "artefacts"
