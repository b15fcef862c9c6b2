"""`store_url`: every store test runs twice, on SQLite (a file on tmp_path) and on a fresh
PostgreSQL database from the test server (`make test` starts it; CI fails without it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_support import fresh_database, sqlalchemy_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'app.db'}"
        return
    with fresh_database("agentops_store") as (admin_url, name):
        yield sqlalchemy_url(admin_url, name)
