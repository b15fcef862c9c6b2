"""One real sign-in: headless Chromium, Streamlit's st.login, the local OIDC provider (code flow
with PKCE), then the pages the member's role opens, and sign-out."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from agentops_pipelines.auth import audit, members
from agentops_pipelines.auth.roles import Role
from agentops_pipelines.store.db import open_store
from tests.auth.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider
from tests.browser_support import chromium_page, free_port, require_chromium, streamlit_server


@pytest.mark.browser
def test_sign_in_with_oidc_in_chromium(
    tmp_path: Path, oidc_provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_chromium()
    from playwright.sync_api import expect

    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "AGENTOPS_DEV_ADMIN"}
    env |= {
        "AGENTOPS_HOME": str(home),
        "AGENTOPS_DB_URL": f"sqlite:///{home / 'app.db'}",
        "DAGSTER_HOME": str(home / "dagster"),
    }
    members.set_member(open_store(env["AGENTOPS_DB_URL"]), "default", "ana@example.com",
                       Role.VIEWER, "tests")  # fmt: skip
    port = free_port()
    secrets_toml = tmp_path / "secrets.toml"
    secrets_toml.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{oidc_provider.issuer}/.well-known/openid-configuration"\n'
    )
    log = tmp_path / "streamlit.log"
    with (
        streamlit_server(
            env, log, port=port, extra_args=("--secrets.files", str(secrets_toml))
        ) as url,
        chromium_page(tmp_path / "profile") as page,
    ):
        page.set_default_timeout(60_000)
        expect.set_options(timeout=60_000)
        page.goto(url)
        expect(page.get_by_role("heading", name="Sign in to AgentOps")).to_be_visible()
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{oidc_provider.issuer}/authorize*")
        page.fill("#login", "ana@example.com")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("Signed in as ana@example.com (viewer)")).to_be_visible()
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav).to_contain_text("Specs")
        expect(nav).not_to_contain_text("Billing")  # owners only
        expect(nav).not_to_contain_text("Moderation")
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in to AgentOps")).to_be_visible()
    # The code was exchanged once, with a PKCE verifier.
    assert [r["grant_type"] for r in oidc_provider.token_requests] == ["authorization_code"]
    assert len(oidc_provider.token_requests[0]["verifier"]) >= 43
    assert CLIENT_SECRET not in log.read_text()
    trail = audit.events(open_store(env["AGENTOPS_DB_URL"]), "default", "sign_in")
    assert [(e.actor, e.via) for e in trail] == [("ana@example.com", "session:oidc")]
