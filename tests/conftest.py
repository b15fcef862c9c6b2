"""Fixtures shared by every test area: paths, an isolated AgentOps home, a fresh PostgreSQL
database (`pg_url`) and a headless Chromium `page`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.pg_support import fresh_database, sqlalchemy_url
from tests.support.unit_selection import mark_server_tests, refuse_listening_sockets

if TYPE_CHECKING:
    from playwright.sync_api import Page

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (PROJECT_ROOT / ".." / "shared" / "data").resolve()
EXAMPLE_SPECS = PROJECT_ROOT / "examples" / "specs"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs a server `server`, so `make unit` (-m "not server") skips it."""
    mark_server_tests(items)


@pytest.fixture(autouse=True)
def _unit_run_starts_no_server(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `make unit` (AGENTOPS_UNIT=1) a selected test that listens on TCP fails loudly."""
    if os.environ.get("AGENTOPS_UNIT") == "1":
        refuse_listening_sockets(monkeypatch, request.node.nodeid)


@pytest.fixture(autouse=True)
def _settings_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test reads settings afresh, and again after each monkeypatch.setenv/delenv."""
    from agentops_pipelines.settings import reset_settings
    from tests.settings_support import follow_environment

    follow_environment(monkeypatch)
    yield
    reset_settings()


@pytest.fixture(autouse=True)
def _pages_sign_in_a_local_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages need a signed-in member: as under `make demo`, a local admin (dev mode, loopback
    only). Sign-in tests delete AGENTOPS_DEV_ADMIN; the API never honours it."""
    monkeypatch.setenv("AGENTOPS_DEV_ADMIN", "tester")
    monkeypatch.delenv("AGENTOPS_DEV_ROLE", raising=False)


@pytest.fixture(autouse=True)
def _no_acting_principal_leaks() -> Iterator[None]:
    """A page run in this thread (AppTest) sets the acting principal; the next test starts clean."""
    from agentops_pipelines.auth.context import set_acting

    yield
    set_acting(None)


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


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (psycopg2 SQLAlchemy URL), dropped after the test."""
    with fresh_database() as (admin_url, name):
        yield sqlalchemy_url(admin_url, name)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    """A headless Chromium page for the browser tests (see tests/browser_support.py)."""
    from tests.browser_support import chromium_page  # Playwright only where a test needs it

    with chromium_page(tmp_path / "chromium-profile") as browser_page:
        yield browser_page
