"""Moderation queue: first uploads of an author wait here for approve/reject with a reason."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from agentops_pipelines.marketplace.errors import MarketplaceError
from agentops_pipelines.marketplace.moderation import approve, reject, require_moderator
from agentops_pipelines.marketplace.sanitize import escape_markdown, sanitize_markdown
from streamlit_app import access
from streamlit_app import marketplace_data as data

access.require_page(__file__)  # the role auth.policy.PAGES declares, checked here too
st.title("Moderation")
url = data.db_url()
user, _workspace = data.identity()
try:
    require_moderator(user)  # the moderator role (auth policy), else AGENTOPS_MODERATORS
except MarketplaceError:
    st.warning(f"{user!r} is not a moderator: an owner can give you the moderator role.")
    st.stop()

queue = data.load_queue(url)
st.subheader(f"Queue ({len(queue)})")
if not queue:
    st.info("Nothing waits for review.")
for item in queue:
    key = f"{item.slug}@{item.version}"
    with st.container(border=True):
        st.markdown(
            f"**{escape_markdown(item.title)}** `{key}` "
            f"by {escape_markdown(item.author)} · {item.kind}"
        )
        if item.changelog:
            st.caption(item.changelog)
        with st.expander("Content (sanitised)"):
            st.markdown(sanitize_markdown(item.content), unsafe_allow_html=False)
        reason = st.text_input("Reason", key=f"reason-{key}")
        left, right = st.columns(2)
        try:
            if left.button("Approve", key=f"approve-{key}"):
                approve(data.store(url), item.slug, item.version, user, reason)
                data.changed()
                st.rerun()
            if right.button("Reject", key=f"reject-{key}"):
                reject(data.store(url), item.slug, item.version, user, reason)
                data.changed()
                st.rerun()
        except MarketplaceError as err:
            st.error(str(err))

st.subheader("Audit trail")
audit = data.load_audit(url)
if audit:
    st.dataframe(pd.DataFrame([a.model_dump() for a in audit]), hide_index=True)
else:
    st.caption("No moderation events yet.")
