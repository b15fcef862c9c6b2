"""Fixture repositories of the code-intelligence tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.codeintel_fixtures import PY_REPO, TS_REPO, write_repo


@pytest.fixture
def py_repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "pyrepo", PY_REPO)


@pytest.fixture
def ts_repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "tsrepo", TS_REPO)
