"""The test-driven repair loop of one codegen task.

patch -> the task's linked tests in the sandbox -> on failure, the failing output (trimmed,
secrets redacted) goes back through the router -> a new patch, up to `max_rounds` within the
task's budget. Every attempt is recorded with its verdict and cost; the best attempt by tests
passed is kept, and the task is `verified` only when that attempt's linked tests all pass.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.codegen.linked_tests import LinkedRun, linked_node_ids, run_linked
from agentops_pipelines.codegen.models import Attempt, PatchProposal
from agentops_pipelines.codegen.patching import PatchError, apply_proposal
from agentops_pipelines.codegen.validate import ValidationSetupError, change_problems
from agentops_pipelines.codegen.workspace import WorkspaceError
from agentops_pipelines.llm import (
    BudgetExceededError,
    LLMConfigError,
    LLMRequest,
    LLMResult,
    ProviderCallError,
    Router,
)
from agentops_pipelines.llm.models import Message
from agentops_pipelines.qa.sandbox import SandboxLimits
from agentops_pipelines.security import redact

Changes = dict[str, str | None]


class RepairOptions(BaseModel):
    max_rounds: int = Field(default=3, ge=1, description="patches per task, the first included")
    task_budget_usd: float = Field(default=0.30, ge=0, description="LLM spend cap per task")
    pool_size: int = Field(default=2, ge=1, description="independent tasks run at once")
    feedback_chars: int = Field(default=3000, ge=200)
    limits: SandboxLimits | None = None


class RepairResult(BaseModel):
    changes: Changes
    attempts: list[Attempt]
    verified: bool
    results: list[LLMResult] = Field(default_factory=list)


def feedback(run: LinkedRun, limit: int) -> str:
    """What the model sees of a failed run: failures first, then the log tail; redacted."""
    text = run.output.strip()
    if len(text) > limit:
        text = text[: limit // 2] + "\n[...]\n" + text[-limit // 2 :]
    return redact(text).text


def _retry_messages(
    messages: list[Message], answer: str, attempt: Attempt, text: str
) -> list[Message]:
    ask = (
        f"Your patch was applied to a fresh copy of the workspace and the linked tests ran: "
        f"{attempt.tests_failed} failed, {attempt.tests_passed} passed.\n"
        f"Output (trimmed, secrets redacted):\n```\n{text}\n```\n"
        "Answer again with the complete JSON patch, written against the ORIGINAL workspace "
        "(your previous patch is not applied)."
    )
    return [
        *messages,
        Message(role="assistant", content=answer[:4000]),
        Message(role="user", content=ask),
    ]


def _best(scored: list[tuple[Attempt, Changes]]) -> tuple[Attempt, Changes] | None:
    """Most tests passed, then fewest failed, then the earliest (cheapest) attempt."""
    runs = [(a, c) for a, c in scored if a.verdict in ("passed", "failed")]
    if not runs:
        return None
    return max(runs, key=lambda ac: (ac[0].tests_passed, -ac[0].tests_failed, -ac[0].round))


def repair_loop(
    workspace: Path,
    requirement_ids: list[str],
    messages: list[Message],
    first: tuple[LLMResult, Changes],
    router: Router,
    request: LLMRequest,
    evidence: Path,
    options: RepairOptions,
    validate: Callable[[Changes], list[str]] | None = None,
) -> RepairResult:
    """Round 1 is the already validated patch `first`; later rounds ask the router again."""
    validate = validate or (lambda changes: change_problems(changes, workspace))
    result, changes = first
    results = [result]
    scored: list[tuple[Attempt, Changes]] = []
    spent = result.cost_usd
    for round_no in range(1, options.max_rounds + 1):
        nodes = linked_node_ids(
            workspace, requirement_ids, [p for p, c in changes.items() if c is not None]
        )
        attempt = Attempt(
            round=round_no,
            verdict="no_tests",
            files=sorted(changes),
            cost_usd=round(result.cost_usd, 6),
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
        )
        if not nodes:
            attempt.reason = "no linked Python test to run: kept as a proposal"
            scored.append((attempt, changes))
            break
        run = run_linked(workspace, changes, nodes, evidence / f"round-{round_no}", options.limits)
        attempt.tests_passed, attempt.tests_failed, attempt.failing = (
            run.passed,
            run.failed,
            run.failing,
        )
        attempt.verdict = "passed" if run.green else "failed"
        scored.append((attempt, changes))
        if run.green or round_no == options.max_rounds:
            break
        if spent >= options.task_budget_usd:
            attempt.reason = f"task budget {options.task_budget_usd} USD spent: no further round"
            break
        messages = _retry_messages(
            messages, result.text or "", attempt, feedback(run, options.feedback_chars)
        )
        next_try = _ask(router, request, messages, workspace, validate, round_no + 1)
        if isinstance(next_try, Attempt):  # no answer or an invalid patch: recorded, loop ends
            scored.append((next_try, {}))
            break
        result, changes = next_try
        results.append(result)
        spent += result.cost_usd
    best = _best(scored)
    if best is None:
        kept_attempt, kept = scored[0]
    else:
        kept_attempt, kept = best
    return RepairResult(
        changes=kept,
        attempts=[a for a, _ in scored],
        verified=kept_attempt.verdict == "passed",
        results=results,
    )


def _ask(
    router: Router,
    request: LLMRequest,
    messages: list[Message],
    workspace: Path,
    validate: Callable[[Changes], list[str]],
    round_no: int,
) -> tuple[LLMResult, Changes] | Attempt:
    try:
        result = router.complete(
            request.model_copy(update={"messages": messages, "use_cache": False})
        )
    except (BudgetExceededError, ProviderCallError, LLMConfigError) as exc:
        return Attempt(round=round_no, verdict="no_answer", reason=f"LLM call refused: {exc}")
    attempt = Attempt(
        round=round_no,
        verdict="invalid",
        cost_usd=round(result.cost_usd, 6),
        tokens_in=result.tokens_in,
        tokens_out=result.tokens_out,
    )
    if result.status != "answered":
        attempt.verdict, attempt.reason = "no_answer", "no valid answer from the router"
        return attempt
    try:
        changes = apply_proposal(workspace, PatchProposal.model_validate(result.data or {}))
        problems = validate(changes)
    except (PatchError, WorkspaceError, ValidationSetupError, subprocess.TimeoutExpired) as exc:
        attempt.reason = str(exc)[:2000]
        return attempt
    if problems:
        attempt.reason = "; ".join(problems)[:2000]
        attempt.files = sorted(changes)
        return attempt
    return result, changes
