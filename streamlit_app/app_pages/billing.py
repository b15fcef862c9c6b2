"""Billing: the workspace's plan, subscription, entitlements, invoices and Stripe events."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import stripe

from streamlit_app import access
from streamlit_app.billing_data import (
    db_url,
    load_overview,
    load_plans,
    plans_file,
    start_upgrade,
    stripe_status,
)

principal = access.require_page(__file__)  # the role auth.policy.PAGES declares
st.title("Billing")
workspace = principal.workspace  # only the signed-in member's own workspace, never typed in
url, plans_path = db_url(), plans_file()
overview = load_overview(url, workspace, plans_path)
status = stripe_status()
plan = overview["plan"]
subs = overview["subscriptions"]

left, right = st.columns(2)
left.metric("Current plan", plan["name"])
right.metric("Subscription", subs[0]["status"] if subs else "none")
st.caption(f"Stripe: {status['key']}; webhook {'on' if status['webhook'] else 'off'}")

open_failures = [i for i in overview["invoices"] if i["payment_failed"] and i["status"] == "open"]
if open_failures:
    st.warning(
        f"{len(open_failures)} invoice(s) failed to charge: update the card in Stripe's customer "
        "portal before the retries run out, or the plan falls back to Free."
    )

st.subheader("Plans")
plans = load_plans(plans_path)
st.dataframe(pd.DataFrame(plans).drop(columns="price_cents").set_index("id"))
upgrades = [p for p in plans if p["price_cents"] > plan["price_cents"]]
if not upgrades:
    st.caption(f"{plan['name']} is the largest plan.")
elif not status["checkout"]:
    st.info(
        "Upgrades are off: set STRIPE_SECRET_KEY (a test key, sk_test_...) and restart the app. "
        "See the README section 'Stripe'."
    )
else:
    for column, target in zip(st.columns(max(len(upgrades), 1)), upgrades, strict=False):
        if column.button(f"Upgrade to {target['plan']} ({target['price']})", key=target["id"]):
            try:
                checkout_url = start_upgrade(url, workspace, target["id"])
            except (stripe.StripeError, ValueError) as exc:
                st.error(f"Could not start Checkout for {target['plan']}: {exc}")
            else:
                st.link_button("Continue to Stripe Checkout", checkout_url)


def _table(rows: list[dict], *time_columns: str) -> pd.DataFrame:
    """Stripe times are unix seconds; show them as UTC dates."""
    frame = pd.DataFrame(rows)
    for column in time_columns:
        frame[column] = pd.to_datetime(frame[column], unit="s", utc=True)
    return frame


st.subheader("Seats")
holders = overview["seats"]
st.caption(
    f"{len(holders)} of {plan['limits']['seats']} seats taken"
    + (f" ({', '.join(holders)})" if holders else "")
    + "; seats are claimed and counted when plan limits are on (AGENTOPS_PLAN_LIMITS=on)."
)

st.subheader("Entitlements")
if overview["entitlements"]:
    st.dataframe(pd.DataFrame(overview["entitlements"]))
else:
    st.info(f"No paid entitlements yet: workspace {workspace!r} uses the Free plan limits.")

st.subheader("Subscriptions")
if subs:
    st.dataframe(_table(subs, "renews_or_ends"))
else:
    st.caption("No subscription.")

st.subheader("Invoices")
if overview["invoices"]:
    st.dataframe(_table(overview["invoices"], "created"))
else:
    st.caption("No invoices yet.")

st.subheader("Stripe events")
if overview["events"]:
    st.dataframe(_table(overview["events"], "created"))
else:
    st.caption(
        "No events for this workspace. Webhooks arrive at POST /webhooks/stripe once "
        "STRIPE_WEBHOOK_SECRETS is set."
    )
