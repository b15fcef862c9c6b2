"""Stripe events for tests: the shared fixtures wrapped as events, and signed deliveries.

Signing is written out with hmac (not the SDK's helper) so the tests check the SDK-based
verifier against an independent implementation of the scheme in SIGNATURE.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

FIXTURES = "stripe_webhooks/pay-rails-fixtures"

# Fixture file -> event type. pay-rails names subscription events without "customer.", and two
# files are bare objects whose event type is implied by the object.
TYPE_OF_FILE = {
    "subscription.created.json": "customer.subscription.created",
    "subscription.updated.json": "customer.subscription.updated",
    "subscription.deleted.json": "customer.subscription.deleted",
    "subscription.trial_ended.json": "customer.subscription.updated",
    "subscription.trial_will_end.json": "customer.subscription.trial_will_end",
    "invoice.json": "invoice.paid",
    "payment_methods/link.json": "payment_method.attached",
}


def fixture_files(shared_data: Path) -> list[Path]:
    root = shared_data / FIXTURES
    return sorted(p for p in root.rglob("*.json"))


def load_fixture(shared_data: Path, name: str) -> tuple[str, dict[str, Any], dict | None]:
    """(event type, data.object, data.previous_attributes) of one fixture, whatever its shape."""
    root = shared_data / FIXTURES
    path = root / name
    raw = json.loads(path.read_text(encoding="utf-8"))
    rel = path.relative_to(root).as_posix()
    if raw.get("object") == "event":
        return raw["type"], raw["data"]["object"], raw["data"].get("previous_attributes")
    event_type = TYPE_OF_FILE.get(rel, rel.removesuffix(".json"))
    if isinstance(raw.get("object"), dict):  # {"object": {...}, "previous_attributes": ...}
        return event_type, raw["object"], raw.get("previous_attributes")
    return event_type, raw, None  # a bare object


def make_event(
    event_type: str,
    obj: dict[str, Any],
    *,
    created: int,
    event_id: str,
    previous_attributes: dict | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {"object": obj}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2025-03-31.basil",
        "created": created,
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def sign(payload: str, secrets: list[str], timestamp: int | None = None) -> str:
    """A Stripe-Signature header with one v1 signature per secret (as during a secret roll)."""
    t = int(time.time()) if timestamp is None else timestamp
    sigs = [
        hmac.new(s.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest() for s in secrets
    ]
    return ",".join([f"t={t}", *(f"v1={s}" for s in sigs)])
