"""The "LLM routing" Streamlit page through AppTest, on a seeded store: an open breaker is shown,
a reviewer resolves one queued request with an answer and dismisses another with a reason."""

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agentops_pipelines.llm.breaker_store import BreakerStore
from agentops_pipelines.llm.budget import BudgetBook
from agentops_pipelines.llm.store import LLMStore, open_llm_engines

PAGE = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages" / "llm_ops.py"


def _queue(store: LLMStore, text: str) -> int:
    return store.enqueue_review(
        request_hash=f"hash-{text}",
        workspace="default",
        spec="billing.md",
        run_id="run-7",
        task_type="summary",
        messages=[{"role": "user", "content": text}],
        last_output='{"unexpected": true}',
        reason="openai: output still invalid after repair",
    )


@pytest.fixture
def seeded_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("AGENTOPS_HOME", str(tmp_path))
    monkeypatch.setenv("AGENTOPS_DB_URL", url)
    engine, budget_engine = open_llm_engines(url)
    now = time.time()
    BreakerStore(engine).write(
        dict(
            provider="mistral",
            state="open",
            consecutive_failures=5,
            window_requests=6,
            window_failures=5,
            opened_at=now,
            since=now,
        )
    )
    store = LLMStore(engine)
    ids = [_queue(store, "Summarise: invoices"), _queue(store, "Summarise: refunds")]
    BudgetBook(budget_engine).set_limit("workspace", "default", 2.0)
    store.ledger_add(
        request_hash="h",
        workspace="default",
        spec="billing.md",
        run_id="run-7",
        task_type="summary",
        provider="openai",
        model="gpt-4o-mini",
        attempt=1,
        tokens_in=120,
        tokens_out=40,
        cost_micros=42,
        price_version="2025-01",
        latency_ms=12.5,
        cache_hit=False,
        outcome="ok",
        error_class=None,
    )
    return store, ids


def _run() -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_shows_breakers_budgets_and_ledger(seeded_store):
    at = _run()
    # Without handled items the page shows three tables: breakers, budgets, recent calls.
    breakers = at.dataframe[0].value.set_index("provider")
    assert breakers.loc["mistral", "state"] == "open"
    assert breakers.loc["mistral", "consecutive_failures"] == 5
    assert breakers.loc["openai", "state"] == "closed"
    budgets = at.dataframe[1].value
    assert budgets.loc[0, "limit_usd"] == 2.0
    calls = at.dataframe[2].value
    assert calls.loc[0, "cost_usd"] == pytest.approx(0.000042)
    assert [m.value for m in at.metric][3] == "2"


def test_reviewer_resolves_and_dismisses_queue_items(seeded_store):
    store, (first, second) = seeded_store
    at = _run()
    answer = json.dumps({"summary": "Invoices are emailed monthly."})
    at.text_input(key=f"reviewer-{first}").set_value("ana")
    at.text_area(key=f"answer-{first}").set_value(answer)
    at.button(key=f"resolve-{first}").click().run()
    assert not at.exception
    (resolved,) = store.review_items("resolved")
    assert (resolved["id"], resolved["answer"], resolved["resolved_by"]) == (first, answer, "ana")
    assert store.cache_get("hash-Summarise: invoices").text == answer  # re-runs get the answer

    # A dismissal without a reason is refused with a message, then accepted with one.
    at.text_input(key=f"reviewer-{second}").set_value("ben")
    at.button(key=f"dismiss-{second}").click().run()
    assert not at.exception and any("needs a reason" in e.value for e in at.error)
    assert store.review_items("open")[0]["id"] == second
    at.text_input(key=f"reason-{second}").set_value("duplicate of #1")
    at.button(key=f"dismiss-{second}").click().run()
    (rejected,) = store.review_items("rejected")
    assert (rejected["resolution_note"], rejected["resolved_by"]) == ("duplicate of #1", "ben")
    assert store.review_items("open") == []


def test_page_runs_on_an_empty_store(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENTOPS_HOME", str(tmp_path))
    monkeypatch.setenv("AGENTOPS_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    at = _run()
    assert any("No open review items" in i.value for i in at.info)
