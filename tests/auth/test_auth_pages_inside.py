"""Every Streamlit page checks its declared role itself (auth.policy.PAGES), not only the router.

Each page file is opened directly with AppTest, as Streamlit's OIDC session would present a
user (`st.user` with `is_logged_in`), with no navigation in front of it: anonymous, a member of
another workspace, and a member lacking the role are refused before the page shows anything.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agentops_pipelines.auth import members
from agentops_pipelines.auth.policy import PAGES
from agentops_pipelines.auth.roles import Role
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import open_store

PAGES_DIR = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages"
TIMEOUT = 60
# Streamlit only needs the section to exist for `st.login`; nothing here contacts a provider.
AUTH_SECRETS = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret",
    "client_id": "agentops",
    "client_secret": "unused",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture
def signed_in_members(agentops_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGENTOPS_DEV_ADMIN", raising=False)  # the real sign-in path
    db = open_store(load_settings().app_db_url)
    members.set_member(db, "default", "vic@example.com", Role.VIEWER, added_by="test")
    members.set_member(db, "default", "rita@example.com", Role.REVIEWER, added_by="test")
    members.set_member(db, "other", "eve@example.com", Role.OWNER, added_by="test")
    members.set_member(db, "default", "olga@example.com", Role.OWNER, added_by="test")


def _open(page: str, email: str | None) -> AppTest:
    at = AppTest.from_file(str(PAGES_DIR / page), default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH_SECRETS
    if email is None:
        at.user = {"is_logged_in": False}
    else:
        at.user = {"is_logged_in": True, "email": email, "iat": int(time.time())}
    at.run()
    assert not at.exception, (page, [e.value for e in at.exception])
    return at


def _refused(at: AppTest) -> str:
    """The refusal text, after checking the page showed nothing of its own."""
    titles = [t.value for t in at.title]
    assert titles in ([], ["No access"]), titles
    shown = at.dataframe, at.metric, at.button, at.text_input, at.selectbox, at.json
    assert not any(len(elements) for elements in shown)
    return " ".join(e.value for e in at.error)


def _lacking(needed: Role) -> tuple[str, str]:
    """Someone signed in who lacks `needed`: a viewer, or for viewer pages nobody's member."""
    email = "sam@example.com" if needed is Role.VIEWER else "vic@example.com"
    return email, f"needs the {needed.value} role"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_auth_page_refuses_anonymous_outsider_and_lacking_role(
    page: str, signed_in_members: None
) -> None:
    assert "Sign in" in _refused(_open(page, None))
    assert "not a member of this workspace" in _refused(_open(page, "eve@example.com"))
    email, says = _lacking(PAGES[page])
    assert says in _refused(_open(page, email))


@pytest.mark.parametrize("page", ["audit.py", "billing.py", "git.py", "marketplace_moderation.py"])
def test_auth_page_opens_for_a_holder_of_its_role(page: str, signed_in_members: None) -> None:
    """The other side: the same check lets the role's holder in (so the refusals above mean it)."""
    at = _open(page, "olga@example.com")
    assert [t.value for t in at.title][:1] != ["No access"]
    assert not any("Sign in" in e.value for e in at.error)


def test_auth_reviewer_is_refused_a_page_only_admins_open(signed_in_members: None) -> None:
    at = _open("billing.py", "rita@example.com")
    assert "needs the admin role" in _refused(at)
