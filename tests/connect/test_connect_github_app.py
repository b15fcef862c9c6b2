"""GitHub App connect through PyGithub over HTTP: JWT-signed App calls, installation tokens
minted per use and never stored, installation checked against the admin's OAuth token, and
only granted repositories linked (audited, remote policy applied)."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from connect_fake_github import INSTALLATION_ID, OTHER_INSTALLATION_ID, Running
from pydantic import SecretStr

from agentops_pipelines.auth import audit
from agentops_pipelines.connect import flows, installations
from agentops_pipelines.connect.github_app import GitHubApp, GitHubAppError
from agentops_pipelines.connect.github_config import (
    GitHubConfigError,
    load_app_config,
    load_oauth_config,
)
from agentops_pipelines.connect.github_oauth import GitHubOAuth, OAuthError
from agentops_pipelines.gitops.links.repo_links import list_links
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import open_store


def _clients() -> tuple[GitHubApp, GitHubOAuth]:
    app_config, oauth_config = load_app_config(), load_oauth_config()
    assert app_config is not None and oauth_config is not None
    return GitHubApp(app_config), GitHubOAuth(oauth_config)


def _user_token(oauth: GitHubOAuth, flow: flows.PendingFlow) -> SecretStr:
    """What the browser does: GitHub's authorize page redirects back with a code."""
    location = httpx.get(oauth.authorize_url(flow.state, flow.verifier)).headers["location"]
    query = httpx.URL(location).params
    assert query["state"] == flow.state
    return oauth.exchange(query["code"], flow.verifier)


def test_connect_installation_token_is_minted_per_use(github_env: Running) -> None:
    app, _ = _clients()
    first = app.installation_token(INSTALLATION_ID).get_secret_value()
    second = app.installation_token(INSTALLATION_ID).get_secret_value()
    assert first.startswith("ghs_") and second.startswith("ghs_") and first != second
    assert github_env.fake.jwts_seen == 2  # each one signed a fresh App JWT
    repos = app.repositories(INSTALLATION_ID)
    assert [r.full_name for r in repos] == ["acme/shop", "acme/site"]
    assert repos[1].default_branch == "trunk"
    calls = github_env.fake.calls
    assert f"POST /app/installations/{INSTALLATION_ID}/access_tokens" in calls
    assert calls[-1] == "GET /installation/repositories"


def test_connect_wrong_private_key_is_refused_with_what_to_do(
    github_env: Running, agentops_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from connect_fake_github import _private_key

    other = agentops_home / "other.pem"
    other.write_text(_private_key()[0])
    monkeypatch.setenv("AGENTOPS_GITHUB_APP_PRIVATE_KEY_FILE", str(other))
    app, _ = _clients()
    with pytest.raises(GitHubAppError, match="HTTP 401.*private key") as err:
        app.repositories(INSTALLATION_ID)
    assert "BEGIN" not in str(err.value)


def test_connect_config_errors_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"AGENTOPS_GITHUB_APP_ID": "1", "AGENTOPS_GITHUB_APP_SLUG": "x"}
    with pytest.raises(GitHubConfigError, match="AGENTOPS_GITHUB_APP_PRIVATE_KEY_FILE"):
        load_app_config(env)
    missing = env | {"AGENTOPS_GITHUB_APP_PRIVATE_KEY_FILE": "/nonexistent/app.pem"}
    with pytest.raises(GitHubConfigError, match="cannot be read"):
        load_app_config(missing)
    with pytest.raises(GitHubConfigError, match="AGENTOPS_GITHUB_CLIENT_SECRET"):
        load_oauth_config({"AGENTOPS_GITHUB_CLIENT_ID": "abc"})
    assert load_app_config({}) is None and load_oauth_config({}) is None


def test_connect_oauth_code_flow_with_pkce_and_one_use_state(github_env: Running) -> None:
    _, oauth = _clients()
    db = open_store(load_settings().app_db_url)
    flow = flows.begin(db, "sign_in", "default")
    url = oauth.authorize_url(flow.state, flow.verifier)
    assert url.startswith(f"{github_env.url}/login/oauth/authorize?client_id=")
    assert "code_challenge_method=S256" in url and flow.verifier not in url
    token = _user_token(oauth, flows.consume(db, flow.state, "sign_in"))
    assert oauth.user(token).subject == "github:octocat"
    with pytest.raises(flows.FlowError, match="used already"):
        flows.consume(db, flow.state, "sign_in")  # a replayed callback
    other = flows.begin(db, "install", "default")
    with pytest.raises(flows.FlowError, match="started for install"):
        flows.consume(db, other.state, "sign_in")


def test_connect_oauth_wrong_verifier_or_reused_code_is_refused(github_env: Running) -> None:
    _, oauth = _clients()
    flow = flows.begin(open_store(load_settings().app_db_url), "sign_in", "default")
    location = httpx.get(oauth.authorize_url(flow.state, flow.verifier)).headers["location"]
    code = httpx.URL(location).params["code"]
    with pytest.raises(OAuthError, match="refused the authorization code"):
        oauth.exchange(code, "not-the-verifier" * 3)
    with pytest.raises(OAuthError, match="refused the authorization code"):
        oauth.exchange(code, flow.verifier)  # the code was spent by the failed try


def test_connect_links_only_granted_repos_and_audits(
    github_env: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app, oauth = _clients()
    db = open_store(load_settings().app_db_url)
    token = _user_token(oauth, flows.begin(db, "install", "default", actor="olga"))
    done = installations.connect(
        db, app, oauth, workspace="default", actor="olga", installation_id=INSTALLATION_ID,
        user_token=token, via="session:oidc",
    )  # fmt: skip
    assert done.account == "acme"
    link = installations.link_granted(db, app, workspace="default", actor="olga", repo="acme/site")
    assert (link.remote_url, link.base_branch) == ("https://github.com/acme/site.git", "trunk")
    assert [x.repo for x in list_links(db)] == ["acme/site"]
    with pytest.raises(GitHubAppError, match="not granted"):
        installations.link_granted(db, app, workspace="default", actor="olga", repo="evil/corp")
    actions = [(e.action, e.subject) for e in audit.events(db, "default")]
    assert ("github.connect", f"github_installation:{INSTALLATION_ID}") in actions
    assert ("link.change", "repo:acme/site") in actions
    # Nothing minted was kept: not in the store, not in a log line.
    minted = list(github_env.fake.installation_tokens) + list(github_env.fake.user_tokens)
    assert minted
    dump = _dump(load_settings().app_db_url) + caplog.text
    assert not [t for t in minted if t in dump]


def test_connect_refuses_an_installation_the_admin_cannot_access(github_env: Running) -> None:
    """The setup redirect's installation_id is a URL parameter: someone else's is refused."""
    app, oauth = _clients()
    db = open_store(load_settings().app_db_url)
    token = _user_token(oauth, flows.begin(db, "install", "default", actor="olga"))
    with pytest.raises(OAuthError, match="not one your GitHub account can access"):
        installations.connect(
            db, app, oauth, workspace="default", actor="olga",
            installation_id=OTHER_INSTALLATION_ID, user_token=token,
        )  # fmt: skip
    assert installations.installation_of(db, "default") is None


def _dump(url: str) -> str:
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return "\n".join("\n".join(conn.iterdump()) for _ in [0])


def _connected(github_env: Running) -> None:
    app, oauth = _clients()
    db = open_store(load_settings().app_db_url)
    token = _user_token(oauth, flows.begin(db, "install", "default", actor="olga"))
    installations.connect(
        db, app, oauth, workspace="default", actor="olga", installation_id=INSTALLATION_ID,
        user_token=token,
    )  # fmt: skip


def test_connect_push_gets_a_token_minted_for_it(
    github_env: Running, agentops_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentops_pipelines.connect.minted import app_push

    db = open_store(load_settings().app_db_url)
    assert app_push(db, "default", agentops_home) == (None, None)  # not connected yet
    _connected(github_env)
    host, config = app_push(db, "default", agentops_home)
    again = app_push(db, "default", agentops_home)[1]
    assert host is not None and config is not None and again is not None
    assert config.token in github_env.fake.installation_tokens
    assert again.token != config.token  # one token per push
    assert app_push(db, "other", agentops_home) == (None, None)  # another workspace: nothing
    monkeypatch.setenv("AGENTOPS_GITHUB_TOKEN", "ghp_personalTokenForTests0000000000000")
    assert app_push(db, "default", agentops_home) == (None, None)  # the personal token wins


def test_connect_api_approval_mints_through_the_app(github_env: Running) -> None:
    """POST /api/git/proposals/{id}/decision asks GitHub for a token for that push."""
    from fastapi.testclient import TestClient

    from agentops_pipelines.api.app import create_app
    from tests.auth_support import auth_headers

    _connected(github_env)
    api = create_app(load_settings())
    headers = auth_headers(api, "rita", "reviewer")
    before = github_env.fake.calls.count(f"POST /app/installations/{INSTALLATION_ID}/access_tokens")
    got = TestClient(api).post(
        "/api/git/proposals/4242/decision", json={"approve": True, "reason": "ok"}, headers=headers
    )
    assert got.status_code == 404  # no such proposal (in this workspace): nothing was pushed
    after = github_env.fake.calls.count(f"POST /app/installations/{INSTALLATION_ID}/access_tokens")
    assert after == before + 1
