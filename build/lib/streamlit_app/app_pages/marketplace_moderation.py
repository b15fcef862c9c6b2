"""Moderation queue: first uploads of an author wait here for approve/reject with a reason."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from agentops_pipelines.marketplace.errors import MarketplaceError
from agentops_pipelines.marketplace.moderation import approve, moderators, reject
from agentops_pipelines.marketplace.sanitize import sanitize_markdown
from streamlit_app import marketplace_data as data

st.title("Moderation")
url = data.db_url()
user, _workspace = data.identity()
if user not in moderators():
    st.warning(
        f"{user!r} is not a moderator. Moderators are listed in AGENTOPS_MODERATORS "
        "(default: moderator); set the User in the sidebar to one of them."
    )
    st.stop()

queue = data.load_queue(url)
st.subheader(f"Queue ({len(queue)})")
if not queue:
    st.info("Nothing waits for review.")
for item in queue:
    key = f"{item.slug}@{item.version}"
    with st.container(border=True):
        st.markdown(f"**{item.title}** `{key}` by {item.author} · {item.kind}")
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
