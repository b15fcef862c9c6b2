"""Test support of the billing tests: signing secrets and a client that delivers signed events.

(In its own module, not conftest.py, so test modules can import it by a unique name.)
"""

from __future__ import annotations

import json

from billing_events import sign
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

SECRET = "whsec_test_current_0123456789"
OLD_SECRET = "whsec_test_previous_9876543210"


class StripeApi:
    """The AgentOps API with the Stripe webhook mounted, and helpers to deliver signed events."""

    def __init__(self, client: TestClient, store: sessionmaker[Session]) -> None:
        self.client, self.store = client, store

    def deliver(
        self,
        event: dict,
        secrets: list[str] | None = None,
        timestamp: int | None = None,
        header: str | None = None,
    ):
        body = json.dumps(event, indent=2)
        signature = header if header is not None else sign(body, secrets or [SECRET], timestamp)
        return self.client.post(
            "/webhooks/stripe",
            content=body.encode("utf-8"),
            headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
        )
