"""The marketplace HTTP API through FastAPI's TestClient against a tmp app store."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from marketplace_factories import make_zip, template_md

from agentops_pipelines.api.app import create_app
from agentops_pipelines.features import MARKETPLACE, set_feature
from agentops_pipelines.marketplace.store_factory import marketplace_store
from agentops_pipelines.settings import load_settings
from tests.auth_support import api_client, auth_headers

BASE = "/api/marketplace"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("AGENTOPS_MODERATORS", "mod-ann")
    monkeypatch.delenv("AGENTOPS_GITHUB_WEBHOOK_SECRET", raising=False)
    settings = load_settings({"AGENTOPS_HOME": str(tmp_path / "home")})
    return api_client(create_app(settings), "vic", "viewer")


@pytest.fixture
def h(client: TestClient) -> SimpleNamespace:
    """Ada and Bob maintain their own workspaces; Ann moderates the default one."""
    app = client.app
    return SimpleNamespace(
        ADA=auth_headers(app, "ada", "maintainer", workspace="team-ada"),  # type: ignore[arg-type]
        BOB=auth_headers(app, "bob", "maintainer", workspace="team-blue"),  # type: ignore[arg-type]
        MOD=auth_headers(app, "mod-ann", "moderator"),  # type: ignore[arg-type]
    )


def test_api_lists_filters_and_sorts_seeded_templates(client: TestClient) -> None:
    cards = client.get(f"{BASE}/templates").json()
    assert len(cards) == 10 and all(c["status"] == "published" for c in cards)
    paid = client.get(f"{BASE}/templates", params={"pricing": "paid"}).json()
    assert sorted(c["slug"] for c in paid) == ["auth-feature-spec", "nfr-pack"]
    plans = client.get(f"{BASE}/templates", params={"kind": "plan_template"}).json()
    assert len(plans) == 3
    tagged = client.get(f"{BASE}/templates", params={"tag": "ears"}).json()
    assert [c["slug"] for c in tagged] == ["auth-feature-spec"]
    assert client.get(f"{BASE}/templates", params={"sort": "rating"}).status_code == 200
    assert client.get(f"{BASE}/templates", params={"sort": "loudest"}).status_code == 422


def test_api_search_detail_versions(client: TestClient) -> None:
    hits = client.get(f"{BASE}/search", params={"q": "zero downtime backfill rollback"}).json()
    assert hits[0]["slug"] == "migration-spec"
    detail = client.get(f"{BASE}/templates/rest-api-spec").json()
    assert detail["latest_version"] == "1.0.0" and "FR-001" in detail["content"]
    assert client.get(f"{BASE}/templates/rest-api-spec/versions").json()[0]["version"] == "1.0.0"
    missing = client.get(f"{BASE}/templates/nope")
    assert missing.status_code == 404 and "list templates" in missing.json()["detail"]["message"]


def test_api_upload_moderate_fork_rate(h: SimpleNamespace, client: TestClient) -> None:
    bad = client.post(
        f"{BASE}/templates",
        files={"file": ("t.zip", make_zip({"template.md": template_md(), "../x.md": "x"}))},
        headers=h.ADA,
    )
    assert bad.status_code == 422
    assert any("path traversal" in p for p in bad.json()["detail"]["problems"])

    up = client.post(f"{BASE}/templates", files={"file": ("t.md", template_md())}, headers=h.ADA)
    assert up.status_code == 201 and up.json()["status"] == "pending"
    assert client.get(f"{BASE}/moderation/queue", headers=h.BOB).status_code == 403
    queue = client.get(f"{BASE}/moderation/queue", headers=h.MOD).json()
    assert [q["slug"] for q in queue] == ["checkout-flow-spec"]
    ok = client.post(
        f"{BASE}/moderation/checkout-flow-spec/1.0.0/approve", json={"reason": "ok"}, headers=h.MOD
    )
    assert ok.status_code == 204

    forked = client.post(f"{BASE}/templates/checkout-flow-spec/fork", headers=h.BOB)
    assert forked.status_code == 200 and forked.json()["upstream_version"] == "1.0.0"
    assert [f["slug"] for f in client.get(f"{BASE}/forks", headers=h.BOB).json()] == [
        "checkout-flow-spec"
    ]
    rated = client.put(
        f"{BASE}/templates/checkout-flow-spec/rating", json={"stars": 4}, headers=h.BOB
    )
    assert rated.json() == {"average": 4.0, "count": 1}
    review = client.put(
        f"{BASE}/templates/checkout-flow-spec/review", json={"text": "Useful."}, headers=h.BOB
    ).json()
    reply = client.post(
        f"{BASE}/reviews/{review['id']}/reply", json={"text": "Thanks"}, headers=h.ADA
    )
    assert reply.status_code == 204
    audit = client.get(f"{BASE}/moderation/audit", headers=h.MOD).json()
    assert audit[0]["action"] == "approve" and audit[0]["actor"] == "mod-ann"


def test_api_paid_download_refused_without_purchase(h: SimpleNamespace, client: TestClient) -> None:
    paid = client.get(f"{BASE}/templates/nfr-pack/download", headers=h.BOB)
    assert paid.status_code == 403 and "buy it" in paid.json()["detail"]["message"]
    free = client.get(f"{BASE}/templates/bugfix-spec/download", headers=h.BOB)
    assert free.status_code == 200 and len(free.json()["sha256"]) == 64


def test_api_disabled_for_workspace(h: SimpleNamespace, client: TestClient, tmp_path: Path) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    set_feature(marketplace_store(settings.app_db_url), "team-blue", MARKETPLACE, False, "admin")
    refused = client.get(f"{BASE}/templates", headers=h.BOB)
    assert refused.status_code == 403 and "disabled" in refused.json()["detail"]["message"]
    assert client.get(f"{BASE}/templates", headers=h.ADA).status_code == 200


def test_api_openapi_documents_marketplace(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        f"{BASE}/templates",
        f"{BASE}/search",
        f"{BASE}/templates/{{slug}}",
        f"{BASE}/templates/{{slug}}/versions",
        f"{BASE}/templates/{{slug}}/fork",
        f"{BASE}/moderation/queue",
    ):
        assert path in paths, path
    assert "422" in paths[f"{BASE}/templates"]["post"]["responses"]
