"""The marketplace migrations and flow on real PostgreSQL (same code as SQLite)."""

from __future__ import annotations

import pytest
from marketplace_factories import template_md

from agentops_pipelines.features import SPECGPT, feature_enabled, set_feature
from agentops_pipelines.marketplace import catalog, forks, moderation, ratings
from agentops_pipelines.marketplace.search import search_templates
from agentops_pipelines.marketplace.seed import seed_catalog
from agentops_pipelines.store.db import open_store

pytestmark = pytest.mark.postgres


def test_marketplace_flow_on_postgres(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOPS_MODERATORS", "mod-ann")
    sf = open_store(pg_url)
    assert seed_catalog(sf) == 10 and seed_catalog(sf) == 0
    moderation.submit(sf, "t.md", template_md().encode(), author="ada")
    moderation.approve(sf, "checkout-flow-spec", "1.0.0", "mod-ann")
    forks.fork(sf, "checkout-flow-spec", "team", "bob")
    assert ratings.rate(sf, "checkout-flow-spec", "bob", 4).count == 1
    ratings.review(sf, "checkout-flow-spec", "bob", "Solid.")
    detail = catalog.get_template(sf, "checkout-flow-spec")
    assert (detail.forks, detail.rating_avg, len(detail.reviews)) == (1, 4.0, 1)
    assert len(catalog.list_templates(sf, sort="rating")) == 11
    assert search_templates(sf, "checkout")[0].slug == "checkout-flow-spec"
    set_feature(sf, "team", SPECGPT, False, "admin")
    assert feature_enabled(sf, "team", SPECGPT) is False
