"""Pick the files a model needs for one task, within a token budget.

Order of preference: the task's declared files that already exist, then their dependency
neighbourhood (imports both ways, and siblings in the folder of a declared file that does not
exist yet), then lexical matches of the task text. Each file goes in whole when it fits, else as
an outline (its symbol signatures), else it is listed as omitted: the budget is never exceeded.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from agentops_pipelines.codeintel.lexical import CodeSearch
from agentops_pipelines.codeintel.models import CodeIndex
from agentops_pipelines.codeintel.tokens import approx_tokens

Reason = Literal["declared", "dependency", "sibling", "match"]


class ContextFile(BaseModel):
    path: str
    reason: Reason
    score: float = 0.0
    mode: Literal["full", "outline"]
    tokens: int
    text: str


class CodeContext(BaseModel):
    budget_tokens: int
    used_tokens: int = 0
    files: list[ContextFile] = Field(default_factory=list)
    omitted: list[str] = Field(default_factory=list, description="Relevant but over budget")

    def render(self) -> str:
        return "\n\n".join(f.text for f in self.files)


def _outline(index: CodeIndex, path: str) -> str:
    info = index.files[path]
    lines = [f"{s.line}: {s.signature or s.name}" for s in info.symbols]
    return "\n".join(lines) or "(no top-level symbols)"


def _block(path: str, reason: str, mode: str, body: str) -> str:
    return f"### {path} ({reason}, {mode})\n```\n{body.rstrip()}\n```"


def _candidates(
    index: CodeIndex, search: CodeSearch, query: str, declared: list[str], max_matches: int
) -> list[tuple[str, Reason, float]]:
    ranked = search.rank(query)
    scores = dict(ranked)
    order: list[tuple[str, Reason, float]] = []
    seen: set[str] = set()

    def add(path: str, reason: Reason) -> None:
        if path in index.files and path not in seen:
            seen.add(path)
            order.append((path, reason, scores.get(path, 0.0)))

    existing = [p for p in declared if p in index.files]
    for path in existing:
        add(path, "declared")
    near = index.neighbourhood(existing, hops=2)
    for path in sorted(near, key=lambda p: (near[p], -scores.get(p, 0.0), p)):
        add(path, "dependency")
    folders = {posixpath.dirname(p) for p in declared if p not in index.files}
    siblings = [p for p in index.files if posixpath.dirname(p) in folders]
    for path in sorted(siblings, key=lambda p: (-scores.get(p, 0.0), p)):
        add(path, "sibling")
    matches = [p for p, _ in ranked if p not in seen][:max_matches]
    for path in matches:
        add(path, "match")
    return order


def build_context(
    index: CodeIndex,
    root: Path,
    query: str,
    declared: list[str] | None = None,
    budget_tokens: int = 6000,
    max_matches: int = 8,
    search: CodeSearch | None = None,
) -> CodeContext:
    """Files relevant to `query` (the task text) within `budget_tokens` approximate tokens.
    Pass `search` (built once per index) when building contexts for many tasks."""
    search = search or CodeSearch.of_repo(index, root)
    contents = search.contents
    context = CodeContext(budget_tokens=budget_tokens)
    for path, reason, score in _candidates(index, search, query, declared or [], max_matches):
        room = budget_tokens - context.used_tokens
        full = _block(path, reason, "full", contents[path])
        outline = _block(path, reason, "outline", _outline(index, path))
        modes: list[tuple[Literal["full", "outline"], str]] = [("full", full), ("outline", outline)]
        for mode, text in modes:
            cost = approx_tokens(text) + 2  # the blank line joining blocks
            if cost <= room:
                context.files.append(
                    ContextFile(
                        path=path, reason=reason, score=score, mode=mode, tokens=cost, text=text
                    )
                )
                context.used_tokens += cost
                break
        else:
            context.omitted.append(path)
    return context
