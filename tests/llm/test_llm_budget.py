"""Budgets: reservation before the call, settlement after, refusal with a clear error, never
exceeded by 8 concurrent threads nor by several processes."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import pytest

from agentops_pipelines.llm import BudgetExceededError
from agentops_pipelines.llm.budget import BudgetBook, request_scopes
from agentops_pipelines.llm.store import open_llm_engines
from tests.support.llm_test_support import base_policy, req


def openai_only():
    policy = base_policy()
    policy["tasks"]["summary"]["chain"] = [{"provider": "openai"}]
    return policy


def test_budget_refusal_is_clear_and_before_the_call(make_router, openai_server):
    router, _, _ = make_router(openai_only())
    # worst case of one call: prompt estimate + 100 output tokens at gpt-4o-mini < $0.0002
    router.set_budget("run", "run-1", 0.0002)
    assert router.complete(req("first", run_id="run-1")).status == "answered"
    status = router.budgets.status("run", "run-1")
    assert (status["spent_micros"], status["reserved_micros"]) == (42, 0)  # 120*.15 + 40*.6
    with pytest.raises(BudgetExceededError) as refused:
        for i in range(10):
            router.complete(req(f"next {i}", run_id="run-1"))
    message = str(refused.value)
    assert (
        "budget for run 'run-1' would be exceeded" in message and "Raise the run budget" in message
    )
    assert router.budgets.status("run", "run-1")["spent_micros"] <= 200
    assert (
        len(openai_server.requests) == router.budgets.status("run", "run-1")["spent_micros"] // 42
    )


def test_workspace_and_spec_budgets_apply_too(make_router):
    router, _, _ = make_router(openai_only())
    router.set_budget("spec", "billing.md", 0.00001)
    with pytest.raises(BudgetExceededError, match="spec 'billing.md'"):
        router.complete(req(spec="billing.md"))
    router.set_budget("workspace", "acme", 0.00001)
    with pytest.raises(BudgetExceededError, match="workspace 'acme'"):
        router.complete(req(workspace="acme"))


def test_budget_never_exceeded_by_8_threads(make_router, openai_server):
    router, _, _ = make_router(openai_only())
    limit_micros = 1000
    router.set_budget("workspace", "team", limit_micros / 1e6)

    def call(i: int) -> str:
        try:
            return router.complete(req(f"req {i}", workspace="team")).status
        except BudgetExceededError:
            return "refused"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(call, range(64)))
    status = router.budgets.status("workspace", "team")
    answered = outcomes.count("answered")
    assert status["spent_micros"] <= limit_micros and status["reserved_micros"] == 0
    assert status["spent_micros"] == 42 * answered
    assert answered > 0 and outcomes.count("refused") > 0
    ledger_cost = sum(r["cost_micros"] for r in router.store.ledger())
    assert ledger_cost == status["spent_micros"]


def _reserve_loop(db_url: str, results) -> None:
    """One process hammering reserve/settle on the shared budget row."""
    _, budget_engine = open_llm_engines(db_url, migrate_schema=False)
    book = BudgetBook(budget_engine)
    granted = 0
    for _ in range(40):
        try:
            reservation = book.reserve(request_scopes("shared", None, None), 30)
        except BudgetExceededError:
            continue
        book.settle(reservation, 25)
        granted += 1
    results.put(granted)


def test_budget_never_exceeded_across_processes(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'app.db'}"
    _, budget_engine = open_llm_engines(db_url)
    BudgetBook(budget_engine).set_limit("workspace", "shared", 0.001)  # 1000 micros
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    procs = [ctx.Process(target=_reserve_loop, args=(db_url, results)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    granted = sum(results.get(timeout=5) for _ in procs)
    status = BudgetBook(budget_engine).status("workspace", "shared")
    assert status["spent_micros"] == 25 * granted <= 1000
    assert status["reserved_micros"] == 0
    assert granted >= 30  # reservations of 30 against 1000 leave room for at least 33 settled
