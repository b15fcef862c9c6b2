"""Reads of the PR reviews shown on the Git page: the review reports kept under the artefact
root by the `pr_review` asset. The root is the cache key, so tests on tmp_path stay apart."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from agentops_pipelines.review.models import ReviewReport
from agentops_pipelines.review.pr_review import load_reports
from agentops_pipelines.settings import get_settings


def artefact_root() -> str:
    return str(get_settings().artefact_root)


@st.cache_data(ttl=10, show_spinner=False)
def load_reviews(root: str) -> list[ReviewReport]:
    return load_reports(Path(root))
