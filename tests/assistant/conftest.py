"""SpecGPT fixtures (helpers in `assistant_home.py`, a unique module name the tests import)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from assistant_home import build_home, point_env_at


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_home(tmp_path_factory.mktemp("specgpt-template") / "home")


@pytest.fixture
def specgpt_home(built_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the built home, with every AGENTOPS_* variable pointing into it."""
    home = tmp_path / "agentops"
    shutil.copytree(built_home, home)
    point_env_at(home, monkeypatch, "bm25")
    return home
