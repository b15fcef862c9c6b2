"""GitHub on the pages, driven through AppTest with the real OAuth/App round trips to the fake
GitHub over HTTP: sign in with GitHub (session, expiry, sign-out, replay refused), and the Git
page's Connect GitHub (install, confirm with the admin's token, list, link)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from connect_fake_github import INSTALLATION_ID, Running
from streamlit.testing.v1 import AppTest

from agentops_pipelines.auth import audit, members
from agentops_pipelines.auth.roles import Role
from agentops_pipelines.connect import installations
from agentops_pipelines.gitops.links.repo_links import list_links
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import open_store

APP = Path(__file__).resolve().parents[2] / "streamlit_app"
TIMEOUT = 60


def _app(params: dict[str, str] | None = None, script: str = "app.py") -> AppTest:
    at = AppTest.from_file(str(APP / script), default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _github_redirect(url: str) -> dict[str, str]:
    """The browser at GitHub's authorize page: GitHub answers with a redirect back to us."""
    location = httpx.get(url).headers["location"]
    assert location.startswith("http://127.0.0.1:8501/?")
    return dict(httpx.URL(location).params)


def _texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.error, *at.warning, *at.success, *at.info, *at.caption)]
    return " ".join(str(p) for p in parts)


@pytest.fixture
def no_dev_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGENTOPS_DEV_ADMIN", raising=False)


def test_connect_sign_in_with_github_session_expiry_and_sign_out(
    github_env: Running, no_dev_admin: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_store(load_settings().app_db_url)
    members.set_member(db, "default", "github:octocat", Role.VIEWER, added_by="test")
    at = _app()
    assert [t.value for t in at.title] == ["Sign in to AgentOps"]
    at.button(key="sign_in_github").click().run()
    authorize = at.link_button[0].proto.url
    assert authorize.startswith(f"{github_env.url}/login/oauth/authorize?")
    back = _github_redirect(authorize)

    signed = _app(back)
    assert [t.value for t in signed.title] == ["Specs"]
    assert "Signed in as github:octocat (viewer)" in _texts(signed)
    assert ("sign_in", "github:octocat") in [
        (e.action, e.actor) for e in audit.events(db, "default")
    ]
    assert "code" not in signed.query_params  # a reload cannot replay the code

    signed.button(key="sign_out").click().run()
    assert [t.value for t in signed.title] == ["Sign in to AgentOps"]

    replay = _app(back)  # the same code and state again, e.g. from the browser history
    assert [t.value for t in replay.title] == ["Sign in to AgentOps"]
    assert "used already" in _texts(replay)

    monkeypatch.setenv("AGENTOPS_SESSION_HOURS", str(0.5 / 3600))
    short = AppTest.from_file(str(APP / "app.py"), default_timeout=TIMEOUT)
    short.run()
    short.button(key="sign_in_github").click().run()
    for key, value in _github_redirect(short.link_button[0].proto.url).items():
        short.query_params[key] = value
    short.run()
    assert [t.value for t in short.title] == ["Specs"]
    time.sleep(0.6)
    short.query_params.clear()
    short.run()
    assert [t.value for t in short.title] == ["Sign in to AgentOps"]
    assert "expired" in _texts(short)


def test_connect_github_user_who_is_no_member_gets_no_page(
    github_env: Running, no_dev_admin: None
) -> None:
    at = _app()
    at.button(key="sign_in_github").click().run()
    signed = _app(_github_redirect(at.link_button[0].proto.url))
    assert [t.value for t in signed.title] == ["No access"]


def test_connect_git_page_install_confirm_list_and_link(github_env: Running) -> None:
    """As the demo's local admin: Connect GitHub, GitHub's setup redirect, confirm, link."""
    git = _app(script="app_pages/git.py")
    git.button(key="github_connect").click().run()
    install = httpx.URL(git.link_button[0].proto.url)
    assert str(install).startswith(f"{github_env.url}/apps/agentops-test/installations/new?")
    # GitHub's Setup URL redirect after the install, with our state and the installation id.
    setup = {"installation_id": str(INSTALLATION_ID), "setup_action": "install"}
    back = _app(setup | {"state": install.params["state"]})
    confirm = back.link_button[0].proto.url
    assert confirm.startswith(f"{github_env.url}/login/oauth/authorize?")
    done = _app(_github_redirect(confirm))
    assert "GitHub connected: installation on acme" in _texts(done)
    db = open_store(load_settings().app_db_url)
    found = installations.installation_of(db, "default")
    assert found is not None and found.connected_by == "tester"

    page = _app(script="app_pages/git.py")
    listed = page.dataframe[0].value
    assert list(listed["full_name"]) == ["acme/shop", "acme/site"]
    page.selectbox[0].select("acme/site")
    page.button[-1].click().run()  # the form's "Link repository"
    assert "Linked acme/site (https://github.com/acme/site.git, base trunk)" in _texts(page)
    assert [link.repo for link in list_links(db)] == ["acme/site"]


def test_connect_git_page_refuses_a_forged_setup_redirect(github_env: Running) -> None:
    back = _app({"installation_id": "888", "setup_action": "install", "state": "made-up"})
    assert "unknown or was used already" in _texts(back)
    assert installations.installation_of(open_store(load_settings().app_db_url), "default") is None
