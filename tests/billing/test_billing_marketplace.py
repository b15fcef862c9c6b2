"""Done-when of issue 9: a seeded paid template downloads only after a verified checkout event.

Goes through the marketplace's own download path (which asks billing's `can_download`), so the
two packages are tested at the seam they agreed on.
"""

from __future__ import annotations

import time

import pytest
import stripe
from billing_events import make_event
from billing_fake_stripe import FakeStripe
from billing_support import StripeApi

from agentops_pipelines.settings import load_settings

marketplace = pytest.importorskip("agentops_pipelines.marketplace.store_factory")
catalog = pytest.importorskip("agentops_pipelines.marketplace.catalog")
errors = pytest.importorskip("agentops_pipelines.marketplace.errors")

SLUG = "auth-feature-spec"  # seeded with price_cents 1900


def test_billing_seeded_paid_template_downloads_after_verified_checkout(
    stripe_api: StripeApi, stripe_client: stripe.StripeClient, fake_stripe: FakeStripe
) -> None:
    from agentops_pipelines.billing.checkout import CheckoutItem, start_checkout

    sf = marketplace.marketplace_store(load_settings().app_db_url)
    entitled = marketplace.billing_entitlement(sf)
    with pytest.raises(errors.Forbidden, match="buy it for workspace 'acme'"):
        catalog.download(sf, SLUG, "bob", "acme", entitled=entitled)

    item = CheckoutItem.for_template(SLUG, "Authentication feature spec (EARS)", 1900)
    url = start_checkout(sf, stripe_client, "acme", item, "https://x/ok", "https://x/cancel")
    completed = fake_stripe.complete_session(url.rsplit("/", 1)[1])
    event = make_event(
        "checkout.session.completed", completed, created=int(time.time()), event_id="evt_mkt"
    )
    assert stripe_api.deliver(event, secrets=["whsec_forged"]).status_code == 400
    with pytest.raises(errors.Forbidden):
        catalog.download(sf, SLUG, "bob", "acme", entitled=entitled)

    assert stripe_api.deliver(event).status_code == 200
    version, template = catalog.download(sf, SLUG, "bob", "acme", entitled=entitled)
    assert template.slug == SLUG and version.version == "1.0.0"
    with pytest.raises(errors.Forbidden):  # bought by acme, not by globex
        catalog.download(sf, SLUG, "carol", "globex", entitled=entitled)
