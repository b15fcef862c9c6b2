"""GitHub on the pages: sign-in through OAuth beside OIDC, and the browser's return from GitHub.

A GitHub sign-in lives in the Streamlit session (never in a cookie or the store) and expires
after AGENTOPS_SESSION_HOURS like an OIDC one; signing out ends it. Members name GitHub
accounts `github:<login>`, so a GitHub login is never confused with an OIDC email.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import streamlit as st

from agentops_pipelines.auth import audit, members
from agentops_pipelines.auth.config import load_auth_config
from agentops_pipelines.auth.principal import Principal
from agentops_pipelines.auth.roles import Role, satisfies
from agentops_pipelines.connect import callback, flows
from agentops_pipelines.connect.errors import GitHubAppError, OAuthError
from agentops_pipelines.connect.github_config import (
    GitHubConfigError,
    load_app_config,
    load_oauth_config,
)
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.db import open_store

if TYPE_CHECKING:  # PyGithub takes seconds to import: only once GitHub is configured
    from agentops_pipelines.connect.github_app import GitHubApp
    from agentops_pipelines.connect.github_oauth import GitHubOAuth

SESSION_KEY = "_agentops_github_session"
FLASH_KEY = "_agentops_github_flash"
NEXT_KEY = "_agentops_github_next"


def oauth_client() -> GitHubOAuth | None:
    config = load_oauth_config()
    if config is None:
        return None
    from agentops_pipelines.connect.github_oauth import GitHubOAuth

    return GitHubOAuth(config)


def app_client() -> GitHubApp | None:
    config = load_app_config()
    if config is None:
        return None
    from agentops_pipelines.connect.github_app import GitHubApp

    return GitHubApp(config)


def _hours() -> float:
    return get_settings().auth.session_hours


def session_principal() -> Principal | None:
    """The GitHub-signed-in person of this session, None when there is none or it expired."""
    held = st.session_state.get(SESSION_KEY)
    if not held:
        return None
    if time.time() > held["expires"]:
        del st.session_state[SESSION_KEY]
        st.session_state[FLASH_KEY] = ("warning", "Your GitHub session expired; sign in again.")
        return None
    settings = get_settings()
    db = open_store(settings.app_db_url)
    subject = held["subject"]
    role = members.role_of(db, settings.workspace, subject)
    joined = members.workspaces_of(db, subject)
    workspace = settings.workspace if role is not None or not joined else joined[0]
    return Principal(subject=subject, workspace=workspace, role=role, via="session:github")


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)


def _may_connect(workspace: str, actor: str) -> bool:
    dev = load_auth_config().dev_admin
    if dev and actor == dev:  # the demo's local admin (loopback only, checked by access)
        return True
    role = members.role_of(open_store(get_settings().app_db_url), workspace, actor)
    return role is not None and satisfies(role, Role.ADMIN)


def handle_return() -> None:
    """Run first on every page load: finish whatever GitHub sent the browser back for."""
    params = {k: str(v) for k, v in st.query_params.to_dict().items()}
    oauth = oauth_client() if callback.is_callback(params) else None
    if oauth is None:
        return
    for key in callback.CALLBACK_KEYS:
        st.query_params.pop(key, None)  # a reload must not replay the code
    db = open_store(get_settings().app_db_url)
    try:
        result = callback.handle(
            db, params, oauth=oauth, app=app_client(), may_connect=_may_connect
        )
    except (flows.FlowError, OAuthError, GitHubAppError, GitHubConfigError) as err:
        st.session_state[FLASH_KEY] = ("error", str(err))
        return
    if result.kind == "signed_in" and result.user is not None:
        st.session_state[SESSION_KEY] = {
            "subject": result.user.subject,
            "expires": time.time() + _hours() * 3600,
        }
        audit.record(
            db, workspace=result.workspace, actor=result.user.subject, via="session:github",
            action="sign_in", subject=f"user:{result.user.subject}",
        )  # fmt: skip
    elif result.kind == "authorize":
        st.session_state[NEXT_KEY] = result.next_url
    elif result.installation is not None:
        st.session_state[FLASH_KEY] = (
            "success",
            f"GitHub connected: installation on {result.installation.account}. "
            "Pick a repository to link on the Git page.",
        )


def show_flash() -> None:
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        kind, text = flash
        {"error": st.error, "warning": st.warning}.get(kind, st.success)(text)
    next_url = st.session_state.pop(NEXT_KEY, None)
    if next_url:
        st.info("The App is installed. Confirm with your GitHub account to finish connecting.")
        st.link_button("Confirm on GitHub", next_url, type="primary")


def sign_in_button() -> None:
    oauth = oauth_client()
    if oauth is None:
        return
    if st.button("Sign in with GitHub", key="sign_in_github"):
        flow = flows.begin(
            open_store(get_settings().app_db_url), "sign_in", get_settings().workspace
        )
        st.link_button("Continue to GitHub", oauth.authorize_url(flow.state, flow.verifier))
