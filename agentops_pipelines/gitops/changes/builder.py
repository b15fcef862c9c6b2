"""Turn a spec's newest artefacts into a ProposedChange for its linked repository.

Codegen output wins when its workspace holds files; before codegen ran (or when it kept nothing)
the plan's task checklist is proposed as a Markdown file, so a reviewer still gets a PR to track.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.gitops.changes.branch_naming import (
    DEFAULT_BRANCH_TEMPLATE,
    branch_name,
    spec_slug,
)
from agentops_pipelines.gitops.changes.path_guard import DEFAULT_PROTECTED_PATHS, check_paths
from agentops_pipelines.gitops.changes.proposals import ProposedChange, ProposedFile, unified_diff
from agentops_pipelines.gitops.links.repo_links import RepoLink
from agentops_pipelines.planning.exports import graph_to_markdown
from agentops_pipelines.planning.graph_models import TaskGraph

EVIDENCE_KINDS = ("test_results", "qa_scores")
PLAN_EXCERPT_SECTION = "architecture"
PLAN_EXCERPT_CHARS = 1200


def _scalars(data: Any) -> dict[str, Any]:
    """Top-level numbers, strings and booleans of an artefact: enough for a PR body."""
    if not isinstance(data, dict):
        return {}
    return {
        k: v
        for k, v in data.items()
        if isinstance(v, int | float | str | bool) and len(str(v)) < 200
    }


def read_evidence(store: ArtefactStore, spec_id: str) -> dict[str, Any]:
    """Test results and completion scores of the spec, when those assets ran."""
    evidence: dict[str, Any] = {}
    for kind in EVIDENCE_KINDS:
        text = store.read_text(kind, spec_id)
        if text:
            try:
                evidence[kind] = _scalars(json.loads(text))
            except json.JSONDecodeError:
                evidence[kind] = {"unreadable": str(store.path_for(kind, spec_id))}
    return evidence


def read_plan_excerpt(store: ArtefactStore, spec_id: str) -> str:
    """The plan's architecture section, cut at a line boundary: the reviewer sees the intended
    design beside the change without leaving the PR."""
    text = store.read_text("technical_plan", spec_id)
    if not text:
        return ""
    try:
        sections = json.loads(text).get("sections", [])
    except (json.JSONDecodeError, AttributeError):
        return ""
    markdown = next(
        (s.get("markdown", "") for s in sections if s.get("name") == PLAN_EXCERPT_SECTION), ""
    ).strip()
    if len(markdown) <= PLAN_EXCERPT_CHARS:
        return markdown
    cut = markdown[:PLAN_EXCERPT_CHARS].rsplit("\n", 1)[0]
    return f"{cut}\n\n(excerpt; the whole plan is the spec's technical_plan asset)"


def _generated_files(store: ArtefactStore, spec_id: str) -> tuple[list[ProposedFile], list[str]]:
    """Files codegen kept, read from its workspace, and the task ids that produced them."""
    text = store.read_text("generated_code", spec_id)
    if not text:
        return [], []
    data = json.loads(text)
    workspace = Path(data.get("workspace", ""))
    files: list[ProposedFile] = []
    for rel in data.get("files_written", []):
        path = workspace / rel
        if path.is_file():
            files.append(ProposedFile(path=rel, content=path.read_text(encoding="utf-8")))
    tasks = [
        o["task_id"]
        for o in data.get("outcomes", [])
        if o.get("status") == "kept" and o.get("files")
    ]
    return files, tasks


def _summary(tasks: int, spec_id: str, source: str, plan_excerpt: str) -> str:
    head = f"{tasks} task(s) of `{spec_id}` ({source.replace('_', ' ')})."
    return f"{head}\n\nPlan excerpt:\n\n{plan_excerpt}" if plan_excerpt else head


def build_change(
    graph: TaskGraph,
    link: RepoLink,
    store: ArtefactStore,
    base_content: Callable[[str], str | None] = lambda _path: None,
    *,
    branch_template: str = DEFAULT_BRANCH_TEMPLATE,
    protected: tuple[str, ...] | list[str] = DEFAULT_PROTECTED_PATHS,
) -> ProposedChange:
    spec_id = graph.spec_id
    files, task_ids = _generated_files(store, spec_id)
    if files:
        source = "generated_code"
        title = f"AgentOps: generated code for {spec_id}"
        task_part, slug = (task_ids[0], "code") if len(task_ids) == 1 else ("tasks", "code")
    else:
        source = "plan_checklist"
        path = f"docs/agentops/{spec_slug(spec_id)}/tasks.md"
        files = [ProposedFile(path=path, content=graph_to_markdown(graph))]
        task_ids = [t.id for t in graph.tasks]
        title = f"AgentOps: task checklist for {spec_id}"
        task_part, slug = "tasks", "checklist"
    check_paths([f.path for f in files], protected)
    requirement_ids = sorted(
        {r for t in graph.tasks if t.id in set(task_ids) for r in t.requirement_ids}
    )
    return ProposedChange(
        spec_id=spec_id,
        repo=link.repo,
        base=link.base_branch,
        branch=branch_name(spec_id, task_part, slug, branch_template),
        title=title,
        summary=_summary(len(task_ids), spec_id, source, read_plan_excerpt(store, spec_id)),
        source=source,  # type: ignore[arg-type]
        task_ids=task_ids,
        requirement_ids=requirement_ids,
        files=files,
        diff=unified_diff(files, base_content),
        evidence=read_evidence(store, spec_id) | {"graph_hash": graph.hash},
    )
