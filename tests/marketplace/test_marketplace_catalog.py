"""The seeded catalog: ten published templates, idempotent seeding, filters, sorts, search."""

from __future__ import annotations

from collections import Counter

import pytest
from marketplace_factories import template_md

from agentops_pipelines.marketplace import catalog, ratings
from agentops_pipelines.marketplace.models import Status, TemplateKind
from agentops_pipelines.marketplace.moderation import submit
from agentops_pipelines.marketplace.search import (
    TemplateIndex,
    search_templates,
    template_retriever,
)
from agentops_pipelines.marketplace.seed import seed_catalog, seed_files
from agentops_pipelines.retrieval.backend import Retriever


def test_ten_seed_templates_published_idempotently(sf) -> None:
    assert len(seed_files()) == 10
    assert seed_catalog(sf) == 0  # the fixture already seeded: nothing added twice
    cards = catalog.list_templates(sf)
    assert len(cards) == 10 and {c.status for c in cards} == {Status.PUBLISHED}
    assert Counter(c.kind for c in cards) == {
        TemplateKind.SPEC_TEMPLATE: 6,
        TemplateKind.PLAN_TEMPLATE: 3,
        TemplateKind.RULES_PACK: 1,
    }
    assert {c.author for c in cards} == {"agentops"}
    paid = {c.slug: c.price_cents for c in catalog.list_templates(sf, pricing="paid")}
    assert paid == {"auth-feature-spec": 1900, "nfr-pack": 1900}


def test_auth_spec_uses_ears_criteria(sf) -> None:
    content = catalog.get_template(sf, "auth-feature-spec").content
    for pattern in ("WHEN ", "WHILE ", "IF ", "WHERE ", "THE SYSTEM SHALL"):
        assert pattern in content


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": TemplateKind.RULES_PACK}, ["qa-rules-pack"]),
        ({"tag": "migration"}, ["migration-spec"]),
        (
            {"pricing": "free", "tag": "plan"},
            ["plan-data-platform", "plan-hotfix", "plan-web-service"],
        ),
    ],
)
def test_filters(sf, filters: dict, expected: list[str]) -> None:
    assert sorted(c.slug for c in catalog.list_templates(sf, **filters)) == expected


def test_sort_by_rating_popularity_and_newest(sf) -> None:
    ratings.rate(sf, "bugfix-spec", "bob", 5)
    ratings.rate(sf, "nfr-pack", "bob", 3)
    assert [c.slug for c in catalog.list_templates(sf, sort="rating")][:2] == [
        "bugfix-spec",
        "nfr-pack",
    ]
    for user in ("a", "b"):
        catalog.download(sf, "migration-spec", user, "ws")
    assert catalog.list_templates(sf, sort="popular")[0].slug == "migration-spec"
    submit(sf, "n.md", template_md().encode(), author="agentops", trusted=True)
    assert catalog.list_templates(sf, sort="newest")[0].slug == "checkout-flow-spec"


@pytest.mark.parametrize(
    ("query", "top"),
    [
        ("password reset session", "auth-feature-spec"),
        ("zero downtime backfill rollback", "migration-spec"),
        ("observed expected root cause blast radius", "bugfix-spec"),
        ("pagination idempotency key endpoints", "rest-api-spec"),
        ("lint rules vague words", "qa-rules-pack"),
    ],
)
def test_search_goes_through_the_retrieval_interface(sf, query: str, top: str) -> None:
    retriever = template_retriever(sf)
    assert isinstance(retriever.backend, TemplateIndex)
    assert isinstance(retriever, Retriever)  # mypy checks TemplateIndex against the Protocol
    for method in ("upsert_spec", "delete_spec", "search", "spec_ids"):
        assert callable(getattr(retriever.backend, method))
    assert search_templates(sf, query)[0].slug == top


def test_search_index_follows_publications(sf) -> None:
    assert search_templates(sf, "checkout") == []
    submit(sf, "n.md", template_md().encode(), author="agentops", trusted=True)
    assert [c.slug for c in search_templates(sf, "checkout")] == ["checkout-flow-spec"]
    with pytest.raises(ValueError, match="empty"):
        search_templates(sf, "   ")


def test_concurrent_seeding_from_two_processes_adds_each_template_once(tmp_path) -> None:
    """The API and Streamlit may both seed a fresh store at start-up."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'race.db'}"
    from agentops_pipelines.store.db import migrate, open_store

    migrate(url)
    code = (
        "import sys; from agentops_pipelines.store.db import open_store;"
        "from agentops_pipelines.marketplace.seed import seed_catalog;"
        "print(seed_catalog(open_store(sys.argv[1])))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, url], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    added = [int(p.communicate(timeout=120)[0].strip()) for p in procs]
    assert sum(added) == 10 and all(p.returncode == 0 for p in procs)
    assert len(catalog.list_templates(open_store(url))) == 10
