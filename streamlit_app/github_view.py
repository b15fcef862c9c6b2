"""The Git page's "Connect GitHub" section: install the App, list what it grants, link one."""

from __future__ import annotations

import streamlit as st

from agentops_pipelines.auth.principal import Principal
from agentops_pipelines.auth.roles import Role, satisfies
from agentops_pipelines.connect import flows, installations
from agentops_pipelines.connect.errors import GitHubAppError
from agentops_pipelines.connect.github_config import GitHubConfigError
from agentops_pipelines.gitops.links.remote_policy import RemoteRefused
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.db import open_store
from streamlit_app import github_session

NOT_CONFIGURED = (
    "Connect GitHub with a GitHub App: set AGENTOPS_GITHUB_APP_ID, AGENTOPS_GITHUB_APP_SLUG, "
    "AGENTOPS_GITHUB_APP_PRIVATE_KEY_FILE, AGENTOPS_GITHUB_CLIENT_ID and "
    "AGENTOPS_GITHUB_CLIENT_SECRET (README, Security)."
)


def render_connect(principal: Principal) -> None:
    st.subheader("Connect GitHub")
    try:
        app = github_session.app_client()
        oauth = github_session.oauth_client()
    except GitHubConfigError as err:
        st.error(str(err))
        return
    if app is None or oauth is None:
        st.caption(NOT_CONFIGURED)
        return
    db = open_store(get_settings().app_db_url)
    admin = principal.role is not None and satisfies(principal.role, Role.ADMIN)
    found = installations.installation_of(db, principal.workspace)
    if found is None:
        if not admin:
            st.caption("GitHub is not connected; an owner or admin connects it here.")
            return
        st.caption("Install the AgentOps GitHub App on your account or organisation.")
        if st.button("Connect GitHub", key="github_connect"):
            flow = flows.begin(db, "install", principal.workspace, principal.subject)
            st.link_button("Install the App on GitHub", app.install_url(flow.state))
        return
    st.caption(f"Connected to {found.account} (installation {found.installation_id}).")
    try:
        granted = installations.granted_repositories(db, app, principal.workspace)
    except GitHubAppError as err:
        st.error(str(err))
        return
    if not granted:
        st.info("The installation grants no repository yet: add some on GitHub, then reload.")
        return
    st.dataframe([r.model_dump() for r in granted], hide_index=True, width="stretch")
    if not admin:
        st.caption("Linking a repository needs the owner or admin role.")
        return
    with st.form("github_link"):
        repo = st.selectbox("Repository to link", [r.full_name for r in granted])
        implements = st.text_input("Specs it implements (glob over spec ids)", value="*")
        submitted = st.form_submit_button("Link repository")
    if submitted and repo:
        try:
            link = installations.link_granted(
                db, app, workspace=principal.workspace, actor=principal.subject, repo=repo,
                implements=implements.strip() or None, via=principal.via,
            )  # fmt: skip
        except (GitHubAppError, RemoteRefused) as err:
            st.error(str(err))
            return
        st.success(f"Linked {link.repo} ({link.remote_url}, base {link.base_branch}).")
