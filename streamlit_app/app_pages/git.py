"""Git: linked repositories, proposed changes to approve or reject, PRs, sensor health."""

from __future__ import annotations

import streamlit as st

from agentops_pipelines.auth.roles import Role, satisfies
from agentops_pipelines.connect.minted import app_push
from agentops_pipelines.gitops.approve_and_push import TOKEN_ENV, review
from agentops_pipelines.gitops.changes.approval import ApprovalError
from agentops_pipelines.gitops.changes.proposals import Proposal
from agentops_pipelines.gitops.hosts.base import GitHostError
from agentops_pipelines.settings import get_settings
from streamlit_app import access, git_data, github_view, review_data, review_view

principal = access.require_page(__file__)  # the role auth.policy.PAGES declares
st.title("Git")
url = git_data.db_url()
overview = git_data.load_overview(url)


def render_health() -> None:
    inbox = overview.inbox
    cols = st.columns(4)
    cols[0].metric("Inbox depth (pending)", inbox.pending)
    cols[1].metric("Deliveries stored", inbox.total)
    cols[2].metric("Cursor (last processed id)", inbox.last_processed_id or "-")
    cols[3].metric("Ignored events", inbox.ignored)
    st.caption(
        f"Last delivery received: {inbox.last_received_at or 'never'} · last processed: "
        f"{inbox.last_processed_at or 'never'} · oldest pending: {inbox.oldest_pending_at or '-'}"
    )


def render_decision(proposal: Proposal) -> None:
    principal = access.current_principal()
    if principal is None or principal.role is None or not satisfies(principal.role, Role.REVIEWER):
        st.caption("Approving or rejecting needs the reviewer role.")
        return
    actor = principal.subject  # the signed-in reviewer, never a typed name
    with st.form(f"decide-{proposal.id}"):
        st.caption(f"Deciding as {actor}")
        reason = st.text_area("Reason (required)", key=f"reason-{proposal.id}")
        approve = st.form_submit_button("Approve and push", type="primary")
        reject = st.form_submit_button("Reject")
    if approve or reject:
        try:
            sessions, home = git_data.sessions_for(url), get_settings().home
            # The workspace's GitHub App, when connected: a token minted for this one push.
            host, config = (None, None)
            if approve:
                host, config = app_push(sessions, principal.workspace, home)
            done = review(
                sessions,
                proposal.id,
                approve=approve,
                actor=actor,
                reason=reason,
                home=home,
                host=host,
                config=config,
            )
        except (ApprovalError, GitHostError) as err:
            st.error(str(err))
            return
        git_data.load_overview.clear()
        if approve and done.status == "approved" and not done.pr_url and not done.error:
            st.warning(
                f"Proposal {proposal.id} is approved but NOT pushed: no Git token is set. "
                f"The push waits for a token: set {TOKEN_ENV} for the API, pages and Dagster."
            )
            return
        message = f"Proposal {proposal.id} is now {done.status}"
        if done.pr_url:
            message += f": {done.pr_url}"
        if done.error:
            message += f" ({done.error})"
        (st.error if done.status == "failed" else st.success)(message)


def render_proposal(proposal: Proposal) -> None:
    label = f"#{proposal.id} · {proposal.spec_id} · {proposal.status} · {proposal.branch}"
    with st.expander(label, expanded=proposal.status == "proposed"):
        st.markdown(f"**{proposal.title}** → `{proposal.repo}` (base `{proposal.base}`)")
        st.caption(f"Source: {proposal.source} · tasks: {', '.join(proposal.task_ids)}")
        diff_tab, evidence_tab = st.tabs(["Diff", "Evidence"])
        with diff_tab:
            st.code(proposal.diff or "(no changes)", language="diff")
        with evidence_tab:
            st.json(proposal.evidence)
        if proposal.error:
            st.error(proposal.error)
        if proposal.status in ("proposed", "failed"):
            render_decision(proposal)


render_health()
github_view.render_connect(principal)
st.subheader("Linked repositories")
if overview.links:
    st.dataframe([link.model_dump() for link in overview.links], hide_index=True, width="stretch")
else:
    st.info(
        "No repository linked yet: link one through the API, `PUT /api/git/links` with a JSON "
        'body like `{"repo": "acme/shop", "remote_url": "/path/to/remote.git", '
        '"implements": "*"}`.'
    )

st.subheader("Proposed changes")
waiting = [p for p in overview.proposals if p.status in ("proposed", "failed")]
st.caption(f"{len(waiting)} awaiting a decision, {len(overview.proposals)} in total")
for proposal in overview.proposals:
    render_proposal(proposal)
if not overview.proposals:
    st.info("No proposed change yet: materialise pull_request for a spec with a linked repo.")

st.subheader("Pull requests")
prs = [
    {
        "spec": p.spec_id,
        "pr": p.pr_number,
        "url": p.pr_url,
        "state": p.pr_state,
        "checks": p.checks_state,
        "branch": p.branch,
    }
    for p in overview.proposals
    if p.pr_number
]
if prs:
    st.dataframe(prs, hide_index=True, width="stretch")
else:
    st.caption("No pull request opened yet.")

st.subheader("Task status")
if overview.tasks:
    st.dataframe([t.model_dump() for t in overview.tasks], hide_index=True, width="stretch")
else:
    st.caption("No task has reached the Git host yet.")
with st.expander("Audit trail"):
    st.dataframe([a.model_dump() for a in overview.audit], hide_index=True, width="stretch")

review_view.render_reviews(review_data.load_reviews(review_data.artefact_root()))
