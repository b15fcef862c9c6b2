"""Generate code for every generate_code / test task of a task graph, one task at a time.

Each task: context from the code index -> router (TaskType.CODEGEN) -> patch applied in memory ->
validated -> written to the workspace only when valid. A task that fails is recorded with its
reason and the next task runs: one bad answer never costs the partition. With only the offline
provider, test tasks get acceptance-test skeletons and generate_code tasks are skipped.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

from pydantic import BaseModel

from agentops_pipelines.artefacts import encode_key
from agentops_pipelines.codegen.models import (
    CodegenUsage,
    GeneratedCode,
    PatchProposal,
    TaskOutcome,
)
from agentops_pipelines.codegen.patching import PatchError, apply_proposal, write_changes
from agentops_pipelines.codegen.prompt import build_messages, task_query
from agentops_pipelines.codegen.skeleton import skeleton_files
from agentops_pipelines.codegen.validate import ValidationSetupError, change_problems
from agentops_pipelines.codegen.workspace import WorkspaceError, prepare_workspace
from agentops_pipelines.codeintel import CodeIndex, build_context, build_index
from agentops_pipelines.codeintel.lexical import CodeSearch
from agentops_pipelines.llm import (
    BudgetExceededError,
    LLMConfigError,
    LLMRequest,
    LLMResult,
    ProviderCallError,
    Router,
    TaskType,
)
from agentops_pipelines.planning.graph_models import Task, TaskGraph
from agentops_pipelines.planning.graph_models import TaskType as GraphTaskType
from agentops_pipelines.specs.models import SpecDocument

CODEGEN_TASKS = (GraphTaskType.GENERATE_CODE, GraphTaskType.TEST)
OFFLINE_PROVIDER = "offline"


class CodegenOptions(BaseModel):
    context_budget_tokens: int = 6000
    max_matches: int = 8


def _offline_changes(task: Task, spec: SpecDocument) -> dict[str, str | None]:
    changes: dict[str, str | None] = {}
    for rid in task.requirement_ids:
        try:
            changes.update(skeleton_files(spec.spec_id, spec.requirement(rid)))
        except KeyError as exc:
            raise PatchError(f"requirement {rid} of {task.id} is not in the spec") from exc
    return changes


def _changes_for(
    task: Task, spec: SpecDocument, result: LLMResult, workspace: Path
) -> dict[str, str | None] | str:
    """The changes to validate, or the reason the task is skipped."""
    if result.provider == OFFLINE_PROVIDER:
        if task.type is GraphTaskType.TEST:
            return _offline_changes(task, spec)
        return "offline: no LLM provider is enabled for codegen (set a key, see llm/README.md)"
    return apply_proposal(workspace, PatchProposal.model_validate(result.data or {}))


def codegen_online(router: Router) -> bool:
    """Whether a real provider of the codegen chain is enabled. Offline answers are not cached:
    a cached template answer would otherwise keep being served after a key is set."""
    chain = router.policy.tasks[TaskType.CODEGEN].chain
    return any(link.provider in router.providers for link in chain)


def _run_task(
    task: Task,
    spec: SpecDocument,
    router: Router,
    workspace: Path,
    index: CodeIndex,
    search: CodeSearch,
    options: CodegenOptions,
    run_id: str | None,
) -> tuple[TaskOutcome, LLMResult | None]:
    context = build_context(
        index,
        workspace,
        task_query(task, spec),
        task.files,
        options.context_budget_tokens,
        options.max_matches,
        search,
    )
    outcome = TaskOutcome(
        task_id=task.id,
        task_type=task.type.value,
        requirement_ids=task.requirement_ids,
        status="rejected",
        context_files=[f.path for f in context.files],
        context_tokens=context.used_tokens,
    )
    request = LLMRequest(
        task_type=TaskType.CODEGEN,
        messages=build_messages(task, spec, context),
        spec=spec.spec_id,
        run_id=run_id,
        output_schema=PatchProposal,
        use_cache=codegen_online(router),
    )
    try:
        result = router.complete(request)
    except (BudgetExceededError, ProviderCallError, LLMConfigError) as exc:
        outcome.status, outcome.reason = "skipped", f"LLM call refused: {exc}"
        return outcome, None
    outcome.provider, outcome.model = result.provider, result.model
    if result.status != "answered":
        outcome.reason = f"no valid answer; queued for human review (item {result.review_item_id})"
        return outcome, result
    outcome.source = "offline_skeleton" if result.provider == OFFLINE_PROVIDER else "llm"
    try:
        changes = _changes_for(task, spec, result, workspace)
        if isinstance(changes, str):
            outcome.status, outcome.reason, outcome.source = "skipped", changes, "none"
            return outcome, result
        outcome.files = sorted(changes)
        problems = change_problems(changes, workspace)
    except (PatchError, WorkspaceError, ValidationSetupError) as exc:
        outcome.reason = str(exc)
        return outcome, result
    except subprocess.TimeoutExpired:
        outcome.reason = "validation timed out (ruff took over 60 s)"
        return outcome, result
    if problems:
        outcome.reason = "; ".join(problems)[:2000]
        return outcome, result
    try:
        write_changes(workspace, changes)
    except (OSError, WorkspaceError) as exc:  # e.g. a path that is a folder in the repo
        outcome.reason = f"could not write the change: {exc}"
        return outcome, result
    outcome.status = "kept"
    return outcome, result


def _skeleton_fallback(
    task: Task, spec: SpecDocument, workspace: Path, outcome: TaskOutcome
) -> TaskOutcome:
    """A test task whose model answer could not be kept still gets the deterministic acceptance
    skeletons, so the QA evidence never hangs on a weak model (the local 135M one often is)."""
    try:
        changes = _offline_changes(task, spec)
        if change_problems(changes, workspace):
            return outcome
        write_changes(workspace, changes)
    except (PatchError, WorkspaceError, ValidationSetupError, OSError, subprocess.TimeoutExpired):
        return outcome
    return outcome.model_copy(
        update={
            "status": "kept",
            "source": "offline_skeleton",
            "files": sorted(changes),
            "reason": f"model answer not kept ({outcome.reason}); skeletons written instead",
        }
    )


def _usage(results: list[LLMResult]) -> CodegenUsage:
    return CodegenUsage(
        llm_calls=sum(1 for r in results if not r.cache_hit),
        cache_hits=sum(1 for r in results if r.cache_hit),
        tokens_in=sum(r.tokens_in for r in results),
        tokens_out=sum(r.tokens_out for r in results),
        cost_usd=round(sum(r.cost_usd for r in results), 6),
        providers=sorted({r.provider for r in results if r.provider}),
        models=sorted({r.model for r in results if r.model}),
    )


def generate_code(
    spec: SpecDocument,
    graph: TaskGraph,
    router: Router,
    artefact_root: Path,
    repo: Path | None = None,
    run_id: str | None = None,
    options: CodegenOptions | None = None,
) -> GeneratedCode:
    options = options or CodegenOptions()
    workspace = prepare_workspace(artefact_root, spec.spec_id, repo)
    cache = Path(artefact_root) / "codeintel" / f"{encode_key(spec.spec_id)}.json"
    index = build_index(workspace, cache)
    search = CodeSearch.of_repo(index, workspace)
    tasks = sorted(
        (t for t in graph.tasks if t.type in CODEGEN_TASKS), key=lambda t: (t.level, t.id)
    )
    outcomes, results, written = [], [], set()
    for task in tasks:
        outcome, result = _run_task(task, spec, router, workspace, index, search, options, run_id)
        if outcome.status == "rejected" and task.type is GraphTaskType.TEST:
            outcome = _skeleton_fallback(task, spec, workspace, outcome)
        outcomes.append(outcome)
        if result is not None:
            results.append(result)
        if outcome.status == "kept":
            written.update(outcome.files)
            index = build_index(workspace, cache)  # later tasks see this one's code
            search = CodeSearch.of_repo(index, workspace)
    used = Counter((o.provider, o.model) for o in outcomes if o.provider)
    provider, model = used.most_common(1)[0][0] if used else (None, None)
    return GeneratedCode(
        spec_id=spec.spec_id,
        workspace=str(workspace.resolve()),
        repo=str(repo) if repo else None,
        files_written=sorted(written),
        outcomes=outcomes,
        provider=provider,
        model=model,
        usage=_usage(results),
    )
