"""Reads and the service handle for the SpecGPT page, as cached loaders keyed by configuration.

The configuration (artefact root, spec workspace, app db URL) is passed as plain strings so a test
pointing AGENTOPS_* at a tmp dir never sees another run's cache. Writes (ask, suggest, accept,
reject) go through `specgpt()` and clear the loaders they make stale.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

import streamlit as st
from pydantic import BaseModel

from agentops_pipelines.assistant.feedback import AcceptanceRate, acceptance_rates
from agentops_pipelines.assistant.gaps import SpecGap
from agentops_pipelines.assistant.safety import specgpt_enabled
from agentops_pipelines.assistant.specgpt import SpecGPT, SpecReview
from agentops_pipelines.assistant.suggestion_store import Suggestion
from agentops_pipelines.assistant.suggestion_store import list_suggestions as _list_suggestions
from agentops_pipelines.assistant.usage import usage_summary
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.acting_workspace import active_workspace

CACHE_TTL_SECONDS = 15
PAGE_PATH = "specgpt"


class Config(BaseModel, frozen=True):
    artefact_root: str
    specs_path: str
    db_url: str
    workspace: str = "default"  # the signed-in workspace: one cached service per workspace


def config() -> Config:
    s = get_settings()
    return Config(
        artefact_root=str(s.artefact_root),
        specs_path=str(s.specs_path),
        db_url=s.app_db_url,
        workspace=active_workspace(),
    )


@st.cache_resource(show_spinner=False)
def specgpt(cfg: Config) -> SpecGPT:
    """One service (store sessions, lazily-built router) per configuration."""
    settings = get_settings().with_paths(
        specs_path=Path(cfg.specs_path), artefact_root=Path(cfg.artefact_root)
    )
    settings.store.url = cfg.db_url
    return SpecGPT(settings, workspace=cfg.workspace)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_reviews(cfg: Config) -> list[SpecReview]:
    service = specgpt(cfg)
    return [service.review(doc.spec_id) for doc in service.documents()]


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_suggestions(cfg: Config, spec_id: str) -> list[Suggestion]:
    return _list_suggestions(specgpt(cfg).sessions, spec_id)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_feedback(cfg: Config) -> tuple[list[AcceptanceRate], list[dict[str, object]]]:
    sessions = specgpt(cfg).sessions
    return acceptance_rates(sessions), usage_summary(sessions)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_enabled(cfg: Config, workspace: str = "default") -> bool:
    return specgpt_enabled(specgpt(cfg).sessions, workspace)


def clear_after_write() -> None:
    """A decision changes the spec file, its findings and the suggestion list."""
    load_reviews.clear()
    load_suggestions.clear()
    load_feedback.clear()


def source_link(spec_id: str, anchor: str) -> str:
    """Link to this page with the spec and requirement/section selected (the click-through)."""
    return f"/{PAGE_PATH}?spec={quote(spec_id, safe='')}&at={quote(anchor, safe='')}"


def highlighted_html(review: SpecReview, focus: str | None = None) -> str:
    """The spec markdown as escaped HTML: trigger words of each finding in <mark> (the smell as
    tooltip), the lines of the focused requirement framed."""
    lines = review.markdown.splitlines()
    words_by_line: dict[int, dict[str, str]] = {}
    focus_lines: set[int] = set()
    for gap in review.gaps:
        span = _gap_lines(review, gap)
        if gap.requirement_id and gap.requirement_id == focus:
            focus_lines.update(span)
        for finding in gap.findings:
            for word in finding.trigger_words:
                for line in span:
                    words_by_line.setdefault(line, {})[word.lower()] = finding.smell
    out = []
    for number, line in enumerate(lines, start=1):
        text = html.escape(line)
        for word, smell in sorted(words_by_line.get(number, {}).items(), key=lambda w: -len(w[0])):
            pattern = re.compile(rf"(?<![\w>-])({re.escape(html.escape(word))})(?![\w<-])", re.I)
            text = pattern.sub(rf'<mark title="{smell}">\1</mark>', text)
        style = "background:#fff3cd;" if number in focus_lines else ""
        out.append(f'<div style="{style}"><code>{number:>4}</code> {text or "&nbsp;"}</div>')
    return (
        '<div style="font-family:monospace;white-space:pre-wrap;font-size:0.85em">'
        + "".join(out)
        + "</div>"
    )


def _gap_lines(review: SpecReview, gap: SpecGap) -> range:
    if gap.requirement_id:
        try:
            req = review.document.requirement(gap.requirement_id)
        except KeyError:
            return range(0)
        end = max([req.span.end_line] + [c.span.end_line for c in req.acceptance_criteria])
        return range(req.span.start_line, end + 1)
    if gap.line:
        section = next((s for s in review.document.sections if s.span.start_line == gap.line), None)
        return range(gap.line, (section.span.end_line if section else gap.line) + 1)
    return range(0)
