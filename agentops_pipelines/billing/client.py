"""The configured door to Stripe: key and API base from the environment, one StripeClient.

`STRIPE_API_BASE` exists so tests (and stripe-mock) can point the real SDK at 127.0.0.1; in
production it is unset and the SDK talks to api.stripe.com. The key is held as a SecretStr and
never appears in a repr, a log line or an error message.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe
from pydantic import BaseModel, SecretStr

from agentops_pipelines.billing.models import SubscriptionFetcher
from agentops_pipelines.security import mask_secret
from agentops_pipelines.settings import BillingSettings, settings_for

_log = logging.getLogger(__name__)
DEFAULT_TOLERANCE_SECONDS = 300


class StripeSettings(BaseModel):
    secret_key: SecretStr | None = None
    api_base: str | None = None
    webhook_secrets: list[SecretStr] = []
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS

    @property
    def checkout_enabled(self) -> bool:
        return self.secret_key is not None

    @property
    def webhook_enabled(self) -> bool:
        return bool(self.webhook_secrets)

    def describe_key(self) -> str:
        """For screens: the key's kind (test or live) without its value."""
        if self.secret_key is None:
            return "not set"
        value = self.secret_key.get_secret_value()
        mode = "test" if value.startswith(("sk_test_", "rk_test_")) else "live"
        return f"{mode} key {mask_secret(value)}"


def load_stripe_settings(environ: dict[str, str] | None = None) -> StripeSettings:
    return stripe_settings_from(settings_for(environ).billing)


def stripe_settings_from(billing: BillingSettings) -> StripeSettings:
    return StripeSettings(
        secret_key=billing.stripe_secret_key,
        api_base=billing.stripe_api_base,
        webhook_secrets=[SecretStr(s) for s in billing.stripe_webhook_secrets],
        tolerance_seconds=billing.stripe_webhook_tolerance,
    )


def build_stripe_client(settings: StripeSettings) -> stripe.StripeClient:
    if settings.secret_key is None:
        raise ValueError(
            "STRIPE_SECRET_KEY is not set: set a test key (sk_test_...) from the Stripe "
            "Dashboard to start Checkout"
        )
    bases: dict[str, str] = {}
    if settings.api_base:
        bases = {"api": settings.api_base.rstrip("/")}
    return stripe.StripeClient(
        settings.secret_key.get_secret_value(),
        base_addresses=bases,  # type: ignore[arg-type]
        max_network_retries=2,
    )


def subscription_fetcher(client: stripe.StripeClient) -> SubscriptionFetcher:
    """GET /v1/subscriptions/{id} as a dict: the current state beats what the event implied.

    A Stripe outage must not fail the webhook (Stripe would retry it for days), so errors give
    None and the handler falls back to the state the event itself carries.
    """

    def fetch(subscription_id: str) -> dict[str, Any] | None:
        try:
            return client.v1.subscriptions.retrieve(subscription_id).to_dict()
        except stripe.StripeError as exc:
            _log.warning(
                "could not fetch subscription %s from Stripe (%s); using the event's state",
                subscription_id,
                type(exc).__name__,
            )
            return None

    return fetch
