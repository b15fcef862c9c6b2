"""The Billing page through AppTest: empty store, a paid workspace, and the upgrade button."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import streamlit as st
from billing_events import make_event
from billing_fake_stripe import FakeStripe
from billing_support import StripeApi
from streamlit.testing.v1 import AppTest

PAGE = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages" / "billing.py"
TIMEOUT = 60


def _run(monkeypatch: pytest.MonkeyPatch, workspace: str = "acme") -> AppTest:
    monkeypatch.setenv("AGENTOPS_WORKSPACE", workspace)
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_billing_page_on_an_empty_store_says_how_to_enable(
    agentops_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRETS", "STRIPE_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    at = _run(monkeypatch)
    assert _metrics(at)["Current plan"] == "Free"
    assert _metrics(at)["Subscription"] == "none"
    assert any("STRIPE_SECRET_KEY" in i.value for i in at.info)
    plans = at.dataframe[0].value
    assert list(plans.index) == ["free", "starter", "team"]
    assert list(plans["price"]) == ["free", "$39/month", "$99/month"]


def test_billing_page_shows_plan_entitlements_and_upgrade(
    stripe_api: StripeApi, fake_stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run(monkeypatch)
    upgrade = next(b for b in at.button if b.label.startswith("Upgrade to Starter"))
    upgrade.click().run()
    assert not at.exception, [e.value for e in at.exception]
    (session_id,) = fake_stripe.sessions
    links = at.get("link_button")
    assert links and session_id in links[0].proto.url

    completed = fake_stripe.complete_session(session_id)
    event = make_event(
        "checkout.session.completed", completed, created=int(time.time()), event_id="evt_page"
    )
    assert stripe_api.deliver(event).status_code == 200
    st.cache_data.clear()  # the loaders' 15 s cache lives in this process, as in the app
    at = _run(monkeypatch)
    metrics = _metrics(at)
    assert metrics["Current plan"] == "Starter"
    assert metrics["Subscription"] == "active"
    captions = " ".join(c.value for c in at.caption)
    assert "test key sk_test_" in captions and "fake_4242424242" not in captions
    labels = [b.label for b in at.button]
    assert labels == ["Upgrade to Team ($99/month)"]  # no "upgrade" to the plan already held
    tables = [d.value for d in at.dataframe]
    assert any("starter" in set(t.get("key", [])) for t in tables)
    assert any("evt_page" in set(t.get("event", [])) for t in tables)
