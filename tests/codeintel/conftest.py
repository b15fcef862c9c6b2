"""Fixture repositories of the code-intelligence tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from codeintel_fixtures import PY_REPO, TS_REPO, write_repo  # noqa: E402


@pytest.fixture
def py_repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "pyrepo", PY_REPO)


@pytest.fixture
def ts_repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "tsrepo", TS_REPO)
