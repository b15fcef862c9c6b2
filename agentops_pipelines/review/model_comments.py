"""Prose review comments from a real model (router TaskType.REVIEW), each on a changed line.

The model sees the added lines (numbered), the touched requirements with their criteria and the
model-free findings; it answers with comments naming file, new-side line and requirement. A
comment on a line the PR did not add, or naming a requirement the PR does not touch, is dropped:
a reviewer gets nothing the diff cannot back. With only the offline provider nothing is asked.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.codeintel import approx_tokens
from agentops_pipelines.llm import (
    BudgetExceededError,
    LLMConfigError,
    LLMRequest,
    ProviderCallError,
    Router,
    TaskType,
)
from agentops_pipelines.llm.models import Message
from agentops_pipelines.review.models import Finding, ReviewReport
from agentops_pipelines.security import redact

CONTEXT_TOKENS = 6000
SYSTEM = (
    "You review a pull request against its software requirements. Answer with a JSON object "
    '{"comments": [{"file", "line", "requirement_id", "body"}]}: at most 5 comments, '
    "each about one ADDED line (its number is given), naming the requirement it concerns and "
    "saying concretely what may be wrong or missing. No praise, no style remarks. An empty list "
    "is a fine answer."
)


class ModelComment(BaseModel):
    file: str
    line: int
    requirement_id: str
    body: str = Field(min_length=1, max_length=2000)


class ModelReview(BaseModel):
    comments: list[ModelComment] = Field(default_factory=list)


def review_online(router: Router) -> bool:
    """A real provider of the review chain is enabled (the offline one has nothing to say)."""
    route = router.policy.tasks.get(TaskType.REVIEW)
    return route is not None and any(link.provider in router.providers for link in route.chain)


def _added(report: ReviewReport, head_dir: Path) -> str:
    blocks = []
    for path, lines in report.changed_lines.items():
        full = head_dir / path
        if not lines or not full.is_file():
            continue
        text = full.read_text("utf-8", "replace").splitlines()
        numbered = [f"{n:>5}+ {text[n - 1]}" for n in sorted(lines) if 0 < n <= len(text)]
        blocks.append(f"--- {path}\n" + "\n".join(numbered))
    return "\n\n".join(blocks)


def build_messages(
    report: ReviewReport, head_dir: Path, requirement_text: dict[str, str]
) -> list[Message]:
    reqs = "\n".join(f"- {rid}: {text}" for rid, text in requirement_text.items()) or "(none)"
    findings = "\n".join(f"- {f.kind} at {f.file}:{f.line}: {f.message}" for f in report.findings)
    added = _added(report, head_dir)
    budget = CONTEXT_TOKENS * 4
    if approx_tokens(added) > CONTEXT_TOKENS:
        added = added[:budget] + "\n(truncated)"
    user = (
        f"Pull request {report.key} at {report.head_sha[:12]}.\n\nRequirements it touches:\n{reqs}"
        f"\n\nAutomatic findings:\n{findings or '(none)'}"
        f"\n\nAdded lines (new-side numbers):\n{added}"
    )
    return [Message(role="system", content=SYSTEM), Message(role="user", content=redact(user).text)]


def keep_comments(report: ReviewReport, comments: list[ModelComment]) -> tuple[list[Finding], int]:
    """Findings for comments on added lines about touched requirements; and how many dropped."""
    touched = {r.id for r in report.requirements}
    kept, dropped = [], 0
    for comment in comments:
        position = report.changed_lines.get(comment.file, {}).get(comment.line)
        if position is None or comment.requirement_id not in touched:
            dropped += 1
            continue
        kept.append(
            Finding(
                kind="model_comment",
                severity="notice",
                message=comment.body.strip(),
                file=comment.file,
                line=comment.line,
                position=position,
                requirement_id=comment.requirement_id,
            )
        )
    return kept, dropped


def add_model_comments(
    report: ReviewReport,
    head_dir: Path,
    router: Router,
    run_id: str | None = None,
    requirement_text: dict[str, str] | None = None,
) -> ReviewReport:
    if not review_online(router) or not report.changed_lines:
        return report
    texts = requirement_text or {r.id: r.title for r in report.requirements}
    request = LLMRequest(
        task_type=TaskType.REVIEW,
        messages=build_messages(report, head_dir, texts),
        run_id=run_id,
        output_schema=ModelReview,
    )
    try:
        result = router.complete(request)
    except (BudgetExceededError, ProviderCallError, LLMConfigError):
        return report
    if result.status != "answered" or result.provider == "offline":
        return report
    parsed = ModelReview.model_validate(result.data or {})
    kept, dropped = keep_comments(report, parsed.comments)
    return report.model_copy(
        update={
            "findings": [*report.findings, *kept],
            "model": result.model,
            "cost_usd": round(report.cost_usd + result.cost_usd, 6),
            "model_comments_dropped": dropped,
        }
    )
