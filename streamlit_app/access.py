"""Who is using the pages, and which pages they may open (roles from `auth.policy.PAGES`).

Sign-in is Streamlit's own OIDC (`st.login`, configured by `[auth]` in secrets.toml). The demo's
local admin (AGENTOPS_DEV_ADMIN) is a development switch only: it is refused unless Streamlit
listens on a loopback address, and every page says it is on.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Literal

import streamlit as st

from agentops_pipelines.auth import audit, members
from agentops_pipelines.auth.config import load_auth_config
from agentops_pipelines.auth.context import set_acting
from agentops_pipelines.auth.policy import PAGES
from agentops_pipelines.auth.principal import Principal
from agentops_pipelines.auth.roles import parse_role, satisfies
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.db import open_store
from streamlit_app import github_session

Status = Literal[200, 401, 403, 404]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SESSION_HOURS_ENV = "AGENTOPS_SESSION_HOURS"


def page_status(principal: Principal | None, page: str, workspace: str) -> Status:
    """200 to show the page; 401 sign in; 404 another workspace only; 403 missing role."""
    if principal is None:
        return 401
    if principal.workspace != workspace:
        return 404
    needed = PAGES.get(page)
    if principal.role is None or needed is None or not satisfies(principal.role, needed):
        return 403
    return 200


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all
        return False


def dev_admin() -> str | None:
    """The demo's local admin, only on a loopback address."""
    name = load_auth_config().dev_admin
    if name and str(st.get_option("server.address") or "127.0.0.1") in LOOPBACK:
        return name
    return None


def _session_expired() -> bool:
    """The identity cookie outlives a working day otherwise; the ID token's iat bounds it."""
    hours = get_settings().auth.session_hours
    issued = st.user.get("iat")
    return isinstance(issued, int | float) and time.time() - issued > hours * 3600


def current_principal() -> Principal | None:
    principal = _signed_in()
    set_acting(principal)
    return principal


def _signed_in() -> Principal | None:
    settings = get_settings()
    name = dev_admin()
    if name:
        role = parse_role(load_auth_config().dev_role)
        return Principal(subject=name, workspace=settings.workspace, role=role, via="dev")
    github = github_session.session_principal()
    if github is not None:
        return github
    if not oidc_configured() or not st.user.is_logged_in:
        return None
    if _session_expired():
        st.logout()
        return None
    subject = str(st.user.get("email") or st.user.get("sub"))
    db = open_store(settings.app_db_url)
    role = members.role_of(db, settings.workspace, subject)
    joined = members.workspaces_of(db, subject)
    workspace = settings.workspace if role is not None or not joined else joined[0]
    principal = Principal(subject=subject, workspace=workspace, role=role, via="session:oidc")
    if not st.session_state.get("_agentops_sign_in_audited"):
        st.session_state["_agentops_sign_in_audited"] = True
        audit.record(
            db, workspace=workspace, actor=subject, via="session:oidc", action="sign_in",
            subject=f"user:{subject}", detail={"role": role.value if role else None},
        )  # fmt: skip
    return principal


def sign_in_page() -> None:
    st.title("Sign in to AgentOps")
    github_session.show_flash()
    github = github_session.oauth_client() is not None
    if oidc_configured():
        st.write("Sign in with your organisation's account to continue.")
        if st.button("Sign in", key="sign_in", type="primary"):
            st.login()
    elif not github:
        st.error(
            "Sign-in is not configured: add an `[auth]` section (your OIDC provider) to "
            ".streamlit/secrets.toml, set AGENTOPS_GITHUB_CLIENT_ID/SECRET (GitHub sign-in), "
            "or run `make demo`, which signs in a local admin."
        )
    github_session.sign_in_button()


def refused_page(status: Status, principal: Principal, page: str | None = None) -> None:
    st.title("No access")
    needed = PAGES.get(page) if page else None
    if status == 404:
        st.error(f"{principal.subject} is not a member of this workspace.")
    elif needed is not None:
        st.error(
            f"This page needs the {needed.value} role in workspace {principal.workspace!r}; "
            f"{principal.subject} does not hold it. Ask an owner "
            f"(`agentops auth member {principal.subject} {needed.value}`)."
        )
    else:
        st.error(
            f"{principal.subject} has no role in workspace {principal.workspace!r} that opens "
            "any page; ask an owner (`agentops auth member EMAIL viewer`)."
        )


def identity_sidebar(principal: Principal) -> None:
    with st.sidebar:
        if principal.via == "dev":
            st.warning(f"Dev mode: signed in as local admin {principal.subject!r} (make demo).")
        else:
            role = principal.role.value if principal.role else "no role"
            st.caption(f"Signed in as {principal.subject} ({role})")
            if st.button("Sign out", key="sign_out"):
                if principal.via == "session:github":
                    github_session.sign_out()
                    st.rerun()
                else:
                    st.logout()


def require_page(page_file: str) -> Principal:
    """The first call of every page: the signed-in member, or the page stops here.

    Navigation already hides pages a role does not open; this check is what keeps a page closed
    when it is opened some other way (its URL, a stale session, a role taken away meanwhile).
    """
    page = Path(page_file).name
    principal = current_principal()
    if principal is None:
        st.error("Sign in to open this page.")
        st.stop()
    status = page_status(principal, page, get_settings().workspace)
    if status != 200:
        refused_page(status, principal, page)
        st.stop()
    return principal
