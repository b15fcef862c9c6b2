"""Reservation leases and sizing: the SQL and the pure decisions both budget paths share.

A reservation is a row with an expiry. Settling deletes it; if it is already gone, the lease was
reclaimed (the caller overran it) and only the real cost is booked. Every reservation first
reclaims expired leases of dead callers, so held budget comes back without an operator.

Sizing: the prompt's cost is known before the call (an upper bound of its tokens); the output is
capped by max_tokens. When a budget cannot cover the full max_tokens but can cover at least the
floor, the call goes ahead with the output cap that fits, instead of being refused.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from agentops_pipelines.llm.errors import BudgetExceededError

log = logging.getLogger(__name__)

DEFAULT_LEASE_S = 300.0
MIN_OUTPUT_TOKENS = 128
FAIR_SHARE = 0.25
"""Near its limit, one call may reserve at most this share of a budget's headroom (or the floor),
so concurrent callers share what is left instead of the first one holding it all."""
FLAG_OVER_RESERVATION = "usage_over_reservation"

LEASE_INSERT = (
    "INSERT INTO llm_reservation (id, scopes, micros, created_at, expires_at, holder) "
    "VALUES (:id, :scopes, :m, :now, :exp, :holder)"
)
LEASE_EXPIRED = "SELECT id, scopes, micros FROM llm_reservation WHERE expires_at < :now"
LEASE_DELETE = "DELETE FROM llm_reservation WHERE id = :id"
RELEASE = (
    "UPDATE llm_budget SET reserved_micros = CASE WHEN reserved_micros > :m "
    "THEN reserved_micros - :m ELSE 0 END WHERE scope = :scope AND key = :key"
)
SPEND = (
    "UPDATE llm_budget SET spent_micros = spent_micros + :actual "
    "WHERE scope = :scope AND key = :key"
)

Row = Sequence[Any]  # (scope, key, limit, spent, reserved)
Price = Callable[[int], int]  # output tokens -> micro-dollars of the whole call


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def new_lease(scopes: Sequence[tuple[str, str]], micros: int, lease_s: float) -> dict[str, Any]:
    now = time.time()
    return {
        "id": str(uuid.uuid4()),
        "scopes": json.dumps([list(s) for s in scopes]),
        "m": micros,
        "now": now,
        "exp": now + lease_s,
        "holder": holder(),
    }


def reclaim_params(expired: Sequence[Row]) -> list[tuple[str, list[dict[str, Any]]]]:
    """For each expired lease: its id and the RELEASE parameters of every scope it held."""
    out = []
    for lease_id, scopes, micros in expired:
        try:
            pairs = [tuple(p) for p in json.loads(scopes)]
        except (ValueError, TypeError):
            pairs = []
        out.append((lease_id, [{"m": micros, "scope": s, "key": k} for s, k in pairs]))
    if out:
        log.warning("reclaimed %d expired LLM budget reservation(s) of dead callers", len(out))
    return out


def size(rows: Sequence[Row], price: Price, max_out: int, min_out: int) -> tuple[int, int]:
    """(output tokens, micros) of the largest call that every budget row can still cover."""
    headroom = min((r[2] - r[3] - r[4] for r in rows), default=None)
    if headroom is None:
        return max_out, price(max_out)
    floor = min(min_out, max_out)
    if price(floor) > headroom:
        scope, key, limit, spent, reserved = min(rows, key=lambda r: r[2] - r[3] - r[4])
        raise BudgetExceededError(scope, key, limit, spent + reserved, price(floor))
    allowance = max(headroom * FAIR_SHARE, price(floor))
    if price(max_out) <= allowance:
        return max_out, price(max_out)
    lo, hi = floor, max_out  # price(lo) fits the allowance, price(hi) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if price(mid) <= allowance else (lo, mid)
    return lo, price(lo)


def capped(actual: int, reserved: int, ledger: dict | None) -> int:
    """Usage above the reservation cannot be real (output was capped): book the reservation,
    flag the ledger row, and say so in the log."""
    if actual <= reserved:
        return actual
    log.warning(
        "LLM provider reported usage costing %d micro-dollars, above the %d reserved for the "
        "call: booked the reservation and flagged the ledger row (%s)",
        actual,
        reserved,
        FLAG_OVER_RESERVATION,
    )
    if ledger is not None:
        ledger["cost_micros"] = reserved
        ledger["error_class"] = FLAG_OVER_RESERVATION
    return reserved
