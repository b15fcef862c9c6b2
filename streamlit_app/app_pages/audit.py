"""Audit log: the workspace's append-only trail, filtered by action, exported as JSON or CSV."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from agentops_pipelines.auth import audit
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.db import open_store
from streamlit_app import access

principal = access.require_page(__file__)  # the role auth.policy.PAGES declares
st.title("Audit log")
settings = get_settings()
found = audit.events(open_store(settings.app_db_url), principal.workspace)
actions = sorted({e.action for e in found})
chosen = st.multiselect("Actions", actions, default=actions, key="audit_actions")
shown = [e for e in found if e.action in chosen]
st.caption(f"{len(shown)} of {len(found)} events in workspace {principal.workspace}")
if shown:
    st.dataframe(
        pd.DataFrame([e.model_dump(mode="json") for e in shown]), hide_index=True, key="audit_table"
    )
left, right = st.columns(2)
left.download_button(
    "Export JSON",
    json.dumps([e.model_dump(mode="json") for e in shown], indent=2),
    file_name="audit.json",
    mime="application/json",
    key="audit_json",
)
right.download_button(
    "Export CSV", audit.to_csv(shown), file_name="audit.csv", mime="text/csv", key="audit_csv"
)
