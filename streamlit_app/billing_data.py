"""Reads (and the one write, starting a checkout) of the Billing page.

Loaders take the database URL and workspace as arguments so the cache key follows the
configuration; the short ttl lets webhook updates show without restarting the app.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.checkout import start_plan_checkout
from agentops_pipelines.billing.client import build_stripe_client, load_stripe_settings
from agentops_pipelines.billing.overview import billing_overview
from agentops_pipelines.billing.plans import config_path, load_billing_config
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.db import open_store

CACHE_TTL_SECONDS = 15
DEFAULT_WORKSPACE = "default"


def db_url() -> str:
    return get_settings().app_db_url


def default_workspace() -> str:
    return get_settings().workspace


def public_url() -> str:
    """Where Stripe sends the user back after Checkout (the Billing page of this app)."""
    return get_settings().deployment.public_url.rstrip("/") + "/billing"


def store_for(url: str) -> sessionmaker[Session]:
    return open_store(url)  # the one factory: cached per process and URL


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_overview(url: str, workspace: str, plans_file: str) -> dict[str, Any]:
    return billing_overview(store_for(url), workspace).model_dump()


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_plans(plans_file: str) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "plan": p.name,
            "price": f"${p.price_cents / 100:g}/{p.interval}" if p.paid else "free",
            "price_cents": p.price_cents,
            **p.limits.model_dump(),
        }
        for p in load_billing_config().plans
    ]


def plans_file() -> str:
    return str(config_path())


def stripe_status() -> dict[str, Any]:
    """What the page may offer: never the key itself, only its kind."""
    settings = load_stripe_settings()
    return {
        "checkout": settings.checkout_enabled,
        "webhook": settings.webhook_enabled,
        "key": settings.describe_key(),
    }


def start_upgrade(url: str, workspace: str, plan_id: str) -> str:
    client = build_stripe_client(load_stripe_settings())
    back = public_url()
    return start_plan_checkout(
        store_for(url),
        client,
        workspace,
        plan_id,
        f"{back}?checkout=success",
        f"{back}?checkout=cancel",
    )
