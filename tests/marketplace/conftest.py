"""Marketplace fixtures: a migrated, seeded app store under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.marketplace.seed import seed_catalog
from agentops_pipelines.store.db import open_store


@pytest.fixture
def sf(tmp_path: Path):
    factory = open_store(f"sqlite:///{tmp_path / 'app.db'}")
    seed_catalog(factory)
    return factory


@pytest.fixture
def moderators(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("AGENTOPS_MODERATORS", "mod-ann,mod-bob")
    return ["mod-ann", "mod-bob"]
