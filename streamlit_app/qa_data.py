"""Reads for the QA dashboard: qa_scores, test_results and completion history artefacts.

Read-only and cached like `data.py`; the artefact root is an argument so the cache key follows
the configuration. Row builders are plain functions so tests can check them without Streamlit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st
from pydantic import BaseModel, Field, ValidationError

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.qa.claims import CLAIMED_NOT_VERIFIED
from agentops_pipelines.qa.history import HistoryPoint, read_history
from agentops_pipelines.qa.junit import JUnitFormatError, parse_junit
from agentops_pipelines.qa.results import TestResults, dotted_key
from agentops_pipelines.qa.score_models import QAScores

CACHE_TTL_SECONDS = 15
LEVEL_WORDS = {0: "none", 1: "low", 2: "medium", 3: "high"}


class QAData(BaseModel):
    root: str
    scores: dict[str, QAScores] = Field(default_factory=dict)
    results: dict[str, TestResults] = Field(default_factory=dict)
    history: dict[str, list[HistoryPoint]] = Field(default_factory=dict)
    unreadable: list[str] = Field(default_factory=list)


def read_qa(root: str) -> QAData:
    store = ArtefactStore(Path(root))
    data = QAData(root=root)
    for key in store.keys("qa_scores"):
        try:
            scores = store.read_model("qa_scores", key, QAScores)
            results = store.read_model("test_results", key, TestResults)
            data.history[key] = read_history(store, key)
        except (ValidationError, ValueError, OSError) as exc:
            data.unreadable.append(
                f"{store.path_for('qa_scores', key)}: unreadable QA artefact "
                f"({type(exc).__name__}); rematerialise qa_scores for {key!r} to rewrite it"
            )
            continue
        if scores is not None:
            data.scores[key] = scores
        if results is not None:
            data.results[key] = results
    return data


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_qa(root: str) -> QAData:
    return read_qa(root)


def overview_rows(data: QAData) -> list[dict[str, Any]]:
    """One row per spec; the status columns add up to `requirements` (every RequirementStatus
    has its column: a spec whose tests are still queued shows as pending, not as nothing)."""
    rows = []
    for key, scores in sorted(data.scores.items()):
        statuses = [r.status for r in scores.requirements]
        rows.append(
            {
                "spec": key,
                "completion": round(scores.completion_score * 100, 1),
                "requirements": len(statuses),
                "passing": statuses.count("passing"),
                "failing": statuses.count("failing"),
                "pending": statuses.count("pending"),
                "not run": statuses.count("not_run"),
                "untested": statuses.count("untested"),
                "rule violations": sum(not r.passed for r in scores.rules),
                "computed": scores.computed_at,
            }
        )
    return rows


def history_rows(data: QAData) -> list[dict[str, Any]]:
    return [
        {"spec": key, "time": p.computed_at, "completion": round(p.completion_score * 100, 1)}
        for key, points in sorted(data.history.items())
        for p in points
    ]


def traceability_rows(scores: QAScores) -> list[dict[str, Any]]:
    rows = []
    for req in scores.requirements:
        for test in req.tests or [None]:
            rows.append(
                {
                    "requirement": req.id,
                    "status": req.status,
                    "test": test.test_id if test else "",
                    "result": test.result if test else "",
                    "origin": test.origin if test else "",
                    "link": f"{test.link_kind} @ {Path(test.file).name}:{test.line or '-'}"
                    if test
                    else "",
                }
            )
    return rows


def heatmap_matrix(
    scores: QAScores,
) -> tuple[list[str], list[str], list[list[int]], list[list[str]]]:
    """(factors, requirement ids, levels, hover texts with each cell's rule)."""
    factors = scores.factors
    ids = [row.requirement_id for row in scores.heatmap]
    levels = [[c.level for c in row.cells] for row in scores.heatmap]
    hover = [
        [f"{c.factor}: {LEVEL_WORDS[c.level]} ({c.value})<br>rule: {c.rule}" for c in row.cells]
        for row in scores.heatmap
    ]
    return factors, ids, levels, hover


def discrepancy_rows(scores: QAScores) -> list[dict[str, str]]:
    rows = [
        {"kind": f"rule ({r.severity})", "what": r.description, "where": ", ".join(r.violations)}
        for r in scores.rules
        if not r.passed
    ]
    rows += [
        {"kind": "orphan test link", "what": f"claims {o.claimed_id}", "where": o.test_id}
        for o in scores.orphans
    ]
    rows += [
        {
            "kind": CLAIMED_NOT_VERIFIED,
            "what": f"tasks {', '.join(r.claimed_tasks)} ticked; verified status {r.status}",
            "where": r.id,
        }
        for r in scores.requirements
        if r.claimed_not_verified
    ]
    rows += [
        {
            "kind": "ambiguous citation",
            "what": f"{a.cited} could mean {', '.join(a.candidates)}",
            "where": f"{a.test_id}:{a.line}",
        }
        for a in scores.ambiguous_citations
    ]
    rows += [{"kind": "problem", "what": p, "where": scores.spec_id} for p in scores.problems]
    return rows


def junit_case(evidence: str | None, test_id: str) -> dict[str, Any] | None:
    """The JUnit case behind a linked test (by its dotted key), for the drill-down."""
    if not evidence or not Path(evidence).is_file():
        return None
    try:
        report = parse_junit(Path(evidence))
    except JUnitFormatError:
        return None
    key = test_id.split(":", 1)[-1]
    for case in report.cases:
        if dotted_key(case.classname, case.name) == key or case.id == test_id:
            return case.model_dump(
                include={
                    "classname",
                    "name",
                    "status",
                    "time",
                    "message",
                    "details",
                    "file",
                    "line",
                }
            )
    return None


def log_tail(path: str | None, chars: int = 4000) -> str:
    if not path or not Path(path).is_file():
        return ""
    return Path(path).read_text(encoding="utf-8", errors="replace")[-chars:]
