"""Budget reservations are leases: a killed caller's reservation is reclaimed once it expires;
usage above the reservation is capped and flagged; reservations are sized from the request so
a budget can be used up instead of refused on worst cases."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from agentops_pipelines.llm import BudgetExceededError
from agentops_pipelines.llm.budget import BudgetBook, request_scopes
from agentops_pipelines.llm.leases import FLAG_OVER_RESERVATION
from agentops_pipelines.llm.store import open_llm_engines
from agentops_pipelines.llm.tables import ReservationRow
from tests.support.llm_test_support import base_policy, req

SCOPES = request_scopes("team", None, None)


def _book(tmp_path, limit_micros: int = 3_000) -> tuple[str, BudgetBook]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    _, engine = open_llm_engines(url)
    book = BudgetBook(engine)
    book.set_limit("workspace", "team", limit_micros / 1e6)
    return url, book


def _leases(book: BudgetBook) -> int:
    with book.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ReservationRow.__table__)).scalar()


def _reserve_then_hang(url: str, ready) -> None:
    """A caller that reserves and is then killed mid-call (never settles)."""
    _, engine = open_llm_engines(url, migrate_schema=False)
    BudgetBook(engine).reserve(SCOPES, 2_076, lease_s=0.5)
    ready.put("reserved")
    time.sleep(60)


def test_a_killed_callers_reservation_is_reclaimed_after_its_lease(tmp_path):
    url, book = _book(tmp_path)
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Queue()
    caller = ctx.Process(target=_reserve_then_hang, args=(url, ready))
    caller.start()
    assert ready.get(timeout=60) == "reserved"
    os.kill(caller.pid, signal.SIGKILL)
    caller.join(10)
    assert book.status("workspace", "team")["reserved_micros"] == 2_076
    with pytest.raises(BudgetExceededError):
        book.reserve(SCOPES, 1_000)  # 2,076 + 1,000 > 3,000 while the lease holds
    time.sleep(0.6)  # let the 0.5 s lease run out (waiting, not a timed assertion)
    reservation = book.reserve(SCOPES, 1_000)  # reclaims the dead lease first
    assert book.status("workspace", "team")["reserved_micros"] == 1_000
    book.settle(reservation, 900)
    status = book.status("workspace", "team")
    assert (status["spent_micros"], status["reserved_micros"]) == (900, 0)
    assert _leases(book) == 0


def test_a_late_settle_after_reclaim_books_only_the_cost(tmp_path):
    _, book = _book(tmp_path)
    reservation = book.reserve(SCOPES, 500, lease_s=0.01)
    time.sleep(0.05)
    assert book.reclaim_expired() == 1
    book.settle(reservation, 400)  # the caller was only slow: its cost still counts, once
    status = book.status("workspace", "team")
    assert (status["spent_micros"], status["reserved_micros"]) == (400, 0)


def test_threads_with_leases_never_exceed_and_leave_nothing_reserved(tmp_path):
    _, book = _book(tmp_path, limit_micros=1_000)

    def call(_: int) -> bool:
        try:
            reservation = book.reserve(SCOPES, 30)
        except BudgetExceededError:
            return False
        book.settle(reservation, 25)
        return True

    with ThreadPoolExecutor(8) as pool:
        granted = sum(pool.map(call, range(64)))
    status = book.status("workspace", "team")
    assert status["spent_micros"] == 25 * granted <= 1_000
    assert status["reserved_micros"] == 0 and _leases(book) == 0


def test_usage_above_the_reservation_is_capped(tmp_path):
    _, book = _book(tmp_path)
    reservation = book.reserve(SCOPES, 100)
    book.settle(reservation, 250)  # over-reported usage
    assert book.status("workspace", "team")["spent_micros"] == 100


def test_over_reported_usage_is_capped_and_flagged_in_the_ledger(make_router, openai_server):
    policy = base_policy()
    policy["tasks"]["summary"]["chain"] = [{"provider": "openai"}]
    router, _, _ = make_router(policy)
    router.set_budget("workspace", "acme", 0.01)
    openai_server.usage = (120, 40_000)  # 40,000 output tokens reported for max_tokens 100
    assert router.complete(req(workspace="acme")).status == "answered"
    [row] = router.store.ledger()
    status = router.budgets.status("workspace", "acme")
    assert row["error_class"] == FLAG_OVER_RESERVATION
    assert row["cost_micros"] == status["spent_micros"] < 40_000 * 0.6
    assert status["reserved_micros"] == 0


def test_reservations_are_sized_to_the_headroom_not_refused(tmp_path):
    _, book = _book(tmp_path, limit_micros=1_000)
    price = lambda out: 100 + out  # noqa: E731 - prompt 100 micros, 1 micro per output token
    first = book.reserve_call(SCOPES, price, max_out=2_048)
    assert (first.out_tokens, first.micros) == (150, 250)  # a quarter of the headroom, not refused
    book.settle(first, 200)
    sized = [book.reserve_call(SCOPES, price, max_out=2_048) for _ in range(3)]
    assert [r.out_tokens for r in sized] == [128, 128, 128]  # the floor, while it fits
    with pytest.raises(BudgetExceededError):
        book.reserve_call(SCOPES, price, max_out=2_048)  # 116 left: not even the floor
    _, roomy = _book(tmp_path / "big", limit_micros=1_000_000)
    assert roomy.reserve_call(SCOPES, price, max_out=2_048).out_tokens == 2_048


def test_concurrent_calls_can_spend_most_of_a_budget(make_router, openai_server):
    """Worst-case reservations (2,048 output tokens each) refused almost every concurrent call
    with a small part of the budget spent; sized ones let the calls use the budget."""
    policy = base_policy()
    policy["tasks"]["summary"] = {"chain": [{"provider": "openai"}], "max_tokens": 2_048}
    router, _, _ = make_router(policy)
    limit = 2_000
    router.set_budget("workspace", "busy", limit / 1e6)

    def call(i: int) -> str:
        try:
            return router.complete(req(f"req {i}", workspace="busy")).status
        except BudgetExceededError:
            return "refused"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(call, range(64)))
    status = router.budgets.status("workspace", "busy")
    assert status["spent_micros"] <= limit and status["reserved_micros"] == 0
    assert status["spent_micros"] >= 0.5 * limit, (outcomes.count("answered"), status)
