"""One migrated, seeded session factory per app-store URL, shared by the API and Streamlit.

Also the bridge to billing: paid downloads ask `billing.entitlements.can_download` (owned by the
billing package) when it is installed; without it no paid template can be downloaded.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from agentops_pipelines.billing.entitlements import can_download
from agentops_pipelines.marketplace.catalog import EntitlementCheck, SessionFactory
from agentops_pipelines.marketplace.seed import seed_catalog
from agentops_pipelines.store.db import open_store

_lock = threading.Lock()


@lru_cache(maxsize=8)
def marketplace_store(url: str) -> SessionFactory:
    """Migrate to every head and seed the ten templates once per process and URL."""
    with _lock:
        sf = open_store(url)
        seed_catalog(sf)
        return sf


def billing_entitlement(sf: SessionFactory) -> EntitlementCheck:
    """`(workspace, slug) -> bool` from billing's entitlements (a verified purchase)."""
    return lambda workspace, slug: can_download(sf, workspace, slug)
