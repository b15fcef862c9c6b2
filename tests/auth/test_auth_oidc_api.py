"""The API accepts OIDC tokens of the configured provider, verified against its JWKS."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from agentops_pipelines.api.app import create_app
from agentops_pipelines.api.auth_layer import auth_store
from agentops_pipelines.auth import members
from agentops_pipelines.auth.config import AuthConfig
from agentops_pipelines.auth.roles import Role
from agentops_pipelines.settings import load_settings
from tests.auth.oidc_provider import CLIENT_ID, Provider


def test_oidc_tokens_are_verified_against_the_provider(
    agentops_home: Path, oidc_provider: Provider
) -> None:
    config = AuthConfig(oidc_issuer=oidc_provider.issuer, oidc_audience=CLIENT_ID)
    app = create_app(load_settings(), auth=config)
    client = TestClient(app)
    db = auth_store(app.state.settings.app_db_url)
    members.set_member(db, "default", "ana@example.com", Role.REVIEWER, "tests")
    bearer = {"Authorization": f"Bearer {oidc_provider.mint('ana@example.com')}"}
    me = client.get("/api/auth/me", headers=bearer).json()
    assert me["subject"] == "ana@example.com" and me["role"] == "reviewer"
    assert me["via"] == f"oidc:{oidc_provider.issuer}"
    # Expired, wrong audience, another key, or no membership: refused.
    expired = oidc_provider.mint("ana@example.com", lifetime=-120)
    wrong_aud = oidc_provider.mint("ana@example.com", audience="someone-else")
    forged = Provider(issuer=oidc_provider.issuer).mint("ana@example.com")
    for token in (expired, wrong_aud, forged):
        got = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert got.status_code == 401, token
    stranger = {"Authorization": f"Bearer {oidc_provider.mint('sam@example.com')}"}
    assert client.get("/api/git/links", headers=stranger).status_code == 403
