"""The verified Stripe event as it crosses into the domain (only the fields we rely on)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field, field_validator

from agentops_pipelines.billing.plans import BillingConfig

# Fetches a subscription from Stripe (GET /v1/subscriptions/{id}) as a plain dict, or None.
SubscriptionFetcher = Callable[[str], dict[str, Any] | None]


class EventData(BaseModel):
    object: dict[str, Any]
    previous_attributes: dict[str, Any] | None = None

    @field_validator("object")
    @classmethod
    def _collapse_expanded(cls, obj: dict[str, Any]) -> dict[str, Any]:
        """An expanded reference (an object with an id) becomes its id, as when not expanded."""
        for key in ("customer", "subscription"):
            value = obj.get(key)
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                obj[key] = value["id"]
        return obj


class StripeEvent(BaseModel):
    id: str = Field(min_length=1, max_length=100)
    type: str = Field(min_length=1, max_length=100)
    created: int
    livemode: bool = False
    data: EventData

    @property
    def obj(self) -> dict[str, Any]:
        return self.data.object


class HandlerContext(BaseModel):
    config: BillingConfig
    fetch_subscription: SubscriptionFetcher | None = None
    # Plan changes also set the workspace's LLM budget (AGENTOPS_PLAN_LIMITS=on).
    enforce_limits: bool = False

    model_config = {"arbitrary_types_allowed": True}


class Outcome(BaseModel):
    """How an event was handled: status is processed, ignored or unmatched."""

    status: str
    workspace: str | None = None
    detail: str | None = None
