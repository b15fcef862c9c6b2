"""SpecGPT under concurrency: no migration and no new engine per request; concurrent asks all
answer (the bug: every request ran Alembic, which is not thread-safe, and 11 of 12 got 500)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from agentops_pipelines.settings import load_settings
from agentops_pipelines.store import db, shared
from tests.api_support import api_client

ADA = {"X-AgentOps-User": "ada"}
CALLERS = 16


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"migrate": 0, "engines": 0}
    real_migrate, real_engine = db.migrate, shared.make_engine

    def migrate(url: str) -> None:
        counts["migrate"] += 1
        real_migrate(url)

    def make_engine(url: str):  # type: ignore[no-untyped-def]
        counts["engines"] += 1
        return real_engine(url)

    monkeypatch.setattr(db, "migrate", migrate)
    monkeypatch.setattr(shared, "make_engine", make_engine)
    return counts


def test_concurrent_asks_all_succeed_without_per_request_migrations(
    specgpt_home: Path, counted: dict[str, int]
) -> None:
    client = api_client(settings=load_settings())
    assert (
        client.post("/api/assistant/ask", json={"question": "invoices"}, headers=ADA).status_code
        == 200
    )
    before = dict(counted)
    barrier = threading.Barrier(CALLERS)

    def ask(i: int) -> int:
        barrier.wait()
        question = ["invoice retention", "log search", "export orders", "who approves"][i % 4]
        return client.post(
            "/api/assistant/ask", json={"question": question}, headers=ADA
        ).status_code

    with ThreadPoolExecutor(CALLERS) as pool:
        statuses = list(pool.map(ask, range(CALLERS)))
    assert statuses == [200] * CALLERS
    assert counted == before  # no Alembic run and no new engine during the burst
    assert before["migrate"] <= 1


def test_a_fresh_process_migrates_once_even_when_the_first_requests_race(
    specgpt_home: Path, counted: dict[str, int]
) -> None:
    shared.forget()  # as a newly started process: nothing migrated, no engine yet
    barrier = threading.Barrier(CALLERS)
    url = load_settings().app_db_url

    def open_it(_: int) -> object:
        barrier.wait()
        return db.open_store(url)

    with ThreadPoolExecutor(CALLERS) as pool:
        factories = list(pool.map(open_it, range(CALLERS)))
    assert counted["migrate"] == 1 and counted["engines"] == 1
    assert len({id(f) for f in factories}) == 1
