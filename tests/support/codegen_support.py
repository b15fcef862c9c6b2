"""Helpers of the codegen tests (a uniquely named module, importable from every test file)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from agentops_pipelines.planning import TaskGraph, build_plan, build_task_graph
from agentops_pipelines.specs.models import AcceptanceCriterion, SourceSpan, SpecDocument
from tests.support.planning_factories import SAMPLE_TEXTS, requirement, spec_doc

REPO = Path(__file__).resolve().parents[2]
GWT = (
    "Given an issued invoice When the admin opens the Billing tab "
    'Then the invoice is listed with its "number" and total'
)


def small_spec() -> SpecDocument:
    """FR-001 with a bullet and a Given/When/Then criterion; FR-006 with no criterion at all."""
    fr1 = requirement("FR-001", SAMPLE_TEXTS["FR-001"], criteria=1)
    fr1.acceptance_criteria.append(
        AcceptanceCriterion(
            id="FR-001.AC-2",
            text=GWT,
            style="given_when_then",
            title="Listed",
            span=SourceSpan(start_line=3, end_line=5),
        )
    )
    fr6 = requirement("FR-006", SAMPLE_TEXTS["FR-006"], criteria=0)
    return spec_doc([fr1, fr6])


def small_graph(spec: SpecDocument) -> TaskGraph:
    return build_task_graph(build_plan(spec, "rest_service"))


def task_of(body: dict) -> str:
    """The task id the codegen prompt names ("Task <id> (<type>): ...")."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    match = re.search(r"^Task (\S+) \(", user, re.M)
    assert match, "the codegen prompt must name its task"
    return match.group(1)


def proposal(summary: str, diff: str = "", files: dict[str, str] | None = None) -> str:
    items = [{"path": p, "content": c} for p, c in (files or {}).items()]
    return json.dumps({"summary": summary, "diff": diff, "files": items})


def run_pytest(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers", *args],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
