"""Reads of the PR reviews shown on the Git page: the review reports kept under the artefact
root by the `pr_review` asset. The root is the cache key, so tests on tmp_path stay apart."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from agentops_pipelines.artefacts import artefact_root_for
from agentops_pipelines.review.models import ReviewReport
from agentops_pipelines.review.pr_review import load_reports
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.acting_workspace import active_workspace


def artefact_root() -> str:
    """The signed-in workspace's artefact root (a cache key per workspace)."""
    s = get_settings()
    return str(artefact_root_for(s.artefact_root, s.workspace, active_workspace()))


@st.cache_data(ttl=10, show_spinner=False)
def load_reviews(root: str) -> list[ReviewReport]:
    return load_reports(Path(root))
