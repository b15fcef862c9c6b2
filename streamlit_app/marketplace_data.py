"""Reads and actions of the Marketplace pages, with the app-store URL as every cache key.

Reads are `st.cache_data` loaders returning plain models (short ttl, cleared after each write
this session makes); writes call the marketplace domain directly. Who is acting comes from the
sidebar (user, workspace): the app has no login yet, so this is attribution, not security;
moderation still checks AGENTOPS_MODERATORS.
"""

from __future__ import annotations

import streamlit as st

from agentops_pipelines.features import MARKETPLACE, feature_enabled
from agentops_pipelines.marketplace import catalog, forks, moderation
from agentops_pipelines.marketplace.catalog import SessionFactory
from agentops_pipelines.marketplace.models import TemplateCard, TemplateDetail, TemplateKind
from agentops_pipelines.marketplace.search import search_templates
from agentops_pipelines.marketplace.store_factory import marketplace_store
from agentops_pipelines.settings import get_settings
from streamlit_app import access

CACHE_TTL_SECONDS = 15
KIND_LABELS = {
    TemplateKind.SPEC_TEMPLATE: "Spec template",
    TemplateKind.PLAN_TEMPLATE: "Plan template",
    TemplateKind.RULES_PACK: "Rules pack",
}


def db_url() -> str:
    return get_settings().app_db_url


@st.cache_resource(show_spinner=False)
def store(url: str) -> SessionFactory:
    return marketplace_store(url)


def identity() -> tuple[str, str]:
    """The signed-in user and their workspace (never typed in: see streamlit_app/access.py)."""
    principal = access.current_principal()
    if principal is None or principal.role is None:
        st.error("Sign in as a member of this workspace to use the marketplace.")
        st.stop()
    return principal.subject, principal.workspace


def marketplace_enabled(url: str, workspace: str) -> bool:
    return feature_enabled(store(url), workspace, MARKETPLACE)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_cards(
    url: str, query: str, kind: str | None, pricing: str | None, sort: str, tag: str | None
) -> list[TemplateCard]:
    sf = store(url)
    if query.strip():
        cards = search_templates(sf, query, limit=100)
        if kind:
            cards = [c for c in cards if c.kind == kind]
        if pricing:
            cards = [c for c in cards if (c.price_cents > 0) == (pricing == "paid")]
        return [c for c in cards if not tag or tag in c.tags]
    return catalog.list_templates(
        sf,
        TemplateKind(kind) if kind else None,
        tag or None,
        pricing,  # type: ignore[arg-type]
        sort,  # type: ignore[arg-type]
        limit=200,
    )


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_detail(url: str, slug: str) -> TemplateDetail:
    return catalog.get_template(store(url), slug)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_queue(url: str) -> list[moderation.QueueItem]:
    return moderation.queue(store(url))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_audit(url: str) -> list[moderation.AuditEntry]:
    return moderation.audit_trail(store(url), limit=100)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_forks(url: str, workspace: str) -> list[forks.ForkInfo]:
    return forks.list_forks(store(url), workspace)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_notifications(url: str, workspace: str) -> list[forks.Notification]:
    return forks.notifications(store(url), workspace)


def price_label(price_cents: int) -> str:
    return "Free" if price_cents == 0 else f"${price_cents / 100:.2f}"


def rating_label(card: TemplateCard) -> str:
    if not card.rating_count:
        return "no ratings yet"
    return f"{card.rating_avg:.1f}/5 ({card.rating_count})"


def changed() -> None:
    """After a write: drop cached reads so this session sees its own change at once."""
    st.cache_data.clear()


def start_purchase(url: str, workspace: str, card: TemplateCard) -> str:
    """Checkout URL from billing, or raise RuntimeError saying why billing is not available."""
    from agentops_pipelines.billing.checkout import CheckoutItem, start_checkout
    from agentops_pipelines.billing.client import build_stripe_client, load_stripe_settings

    settings = load_stripe_settings()
    if not settings.checkout_enabled:
        raise RuntimeError(
            "billing not configured: set STRIPE_SECRET_KEY (a sk_test_ key) to sell templates"
        )
    base = get_settings().deployment.public_url
    item = CheckoutItem.for_template(card.slug, card.title, card.price_cents)
    return start_checkout(
        store(url),
        build_stripe_client(settings),
        workspace,
        item,
        success_url=f"{base}/marketplace?bought={card.slug}",
        cancel_url=f"{base}/marketplace",
    )
