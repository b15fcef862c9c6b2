"""One throw-away PostgreSQL database per test, on the server named by AGENTOPS_TEST_PG_URL.

Shared by every `*_postgres.py` test (through the `pg_url` fixture in tests/conftest.py) so the
skip/fail rule and the create/drop dance live in one place.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest

PG_URL_ENV = "AGENTOPS_TEST_PG_URL"


def require_pg_server_url() -> str:
    """The admin URL; without one a laptop skips, but CI must not silently lose PG coverage."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_URL_ENV} is not set: run the suite through `make test`")
        pytest.skip("no PostgreSQL: run through `make test`, which starts one")
    return url


@contextmanager
def fresh_database(prefix: str = "agentops_test") -> Iterator[tuple[str, str]]:
    """Create a uniquely named database; yield (admin URL, database name); drop it (FORCE)."""
    url = require_pg_server_url()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(url)
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {name}")
    try:
        yield url, name
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def sqlalchemy_url(admin_url: str, name: str) -> str:
    """The SQLAlchemy URL (psycopg2 driver) of database `name` on the admin URL's server."""
    parts = urlparse(admin_url)
    return urlunparse(parts._replace(scheme="postgresql+psycopg2", path=f"/{name}"))
