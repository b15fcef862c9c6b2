"""Which of two states of one Stripe object is newer, when deliveries arrive out of order.

Stripe does not promise delivery order, and a retried old event can land after a newer one. Each
row keeps the `created` time of the event that wrote it (its stamp). An incoming state applies
only if it is newer; at equal seconds the state further along the lifecycle wins. Terminal states
are final: Stripe never revives a canceled subscription or reopens a paid invoice, so no later
delivery of an older state may undo them.
"""

from __future__ import annotations

SUBSCRIPTION_TERMINAL = frozenset({"canceled", "incomplete_expired"})
# Statuses that keep the plan's entitlements: past_due is Stripe's retry window (a grace period).
SUBSCRIPTION_GRANTING = frozenset({"active", "trialing", "past_due"})
_SUBSCRIPTION_RANK = {
    "incomplete": 0,
    "trialing": 1,
    "active": 2,
    "paused": 2,
    "past_due": 3,
    "unpaid": 4,
    "canceled": 9,
    "incomplete_expired": 9,
}

INVOICE_TERMINAL = frozenset({"paid", "void"})
_INVOICE_RANK = {"draft": 0, "open": 1, "uncollectible": 2, "paid": 3, "void": 3}


def _wins(
    stored: tuple[str, int], incoming: tuple[str, int], terminal: frozenset[str], rank: dict
) -> bool:
    (old_status, old_stamp), (new_status, new_stamp) = stored, incoming
    if old_status in terminal:
        return False
    if new_status in terminal:
        return True
    if new_stamp != old_stamp:
        return new_stamp > old_stamp
    return rank.get(new_status, 0) >= rank.get(old_status, 0)


def subscription_update_wins(stored: tuple[str, int], incoming: tuple[str, int]) -> bool:
    """True if (status, stamp) `incoming` should replace `stored` for one subscription."""
    return _wins(stored, incoming, SUBSCRIPTION_TERMINAL, _SUBSCRIPTION_RANK)


def invoice_update_wins(stored: tuple[str, int], incoming: tuple[str, int]) -> bool:
    """True if (status, stamp) `incoming` should replace `stored` for one invoice."""
    return _wins(stored, incoming, INVOICE_TERMINAL, _INVOICE_RANK)
