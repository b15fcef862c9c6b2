"""Generated code per spec: a patch per generate_code / test task, validated in a workspace."""

from pathlib import Path

import dagster as dg

from agentops_pipelines.codegen import CodegenOptions, GeneratedCode, generate_code
from agentops_pipelines.defs.code_links import repo_for
from agentops_pipelines.defs.partitions import spec_partitions
from agentops_pipelines.defs.retries import OUTSIDE_RETRY
from agentops_pipelines.planning import TaskGraph
from agentops_pipelines.resources.llm import LLMRouterResource
from agentops_pipelines.resources.spec_source import ArtefactRoot
from agentops_pipelines.specs.models import SpecDocument


class CodegenConfig(dg.Config):
    repo: str = ""  # empty: the repository linked to the spec in config/code_links.yaml, if any
    context_budget_tokens: int = 6000  # approximate tokens of code context per task


@dg.asset(
    partitions_def=spec_partitions,
    group_name="codegen",
    kinds={"python"},
    code_version="1",
    automation_condition=dg.AutomationCondition.eager(),
    retry_policy=OUTSIDE_RETRY,
)
def generated_code(
    context: dg.AssetExecutionContext,
    spec_document: SpecDocument,
    task_graph: TaskGraph,
    config: CodegenConfig,
    llm: LLMRouterResource,
    artefacts: ArtefactRoot,
) -> dg.Output[GeneratedCode]:
    """Code and tests per task through the LLM router (offline: failing acceptance-test
    skeletons), each patch kept only if it applies, parses and passes ruff, then repaired
    against its linked tests in the sandbox; verified only when they pass."""
    result = generate_code(
        spec_document,
        task_graph,
        llm.get_router(),
        Path(artefacts.path),
        repo=repo_for(config.repo, spec_document.spec_id),
        run_id=context.run_id,
        options=CodegenOptions(context_budget_tokens=config.context_budget_tokens),
    )
    counts = result.counts()
    rejected = {o.task_id: o.reason for o in result.outcomes if o.status == "rejected"}
    return dg.Output(
        result,
        metadata={
            "tasks": len(result.outcomes),
            "kept": counts["kept"],
            "rejected": counts["rejected"],
            "skipped": counts["skipped"],
            "files_written": len(result.files_written),
            "verified": sum(1 for o in result.outcomes if o.verification == "verified"),
            "repair_attempts": sum(len(o.attempts) for o in result.outcomes),
            "workspace": dg.MetadataValue.path(result.workspace),
            "provider": result.provider or "none",
            "model": result.model or "none",
            "rejections": dg.MetadataValue.json(rejected),
            "llm_usage": dg.MetadataValue.json(llm.usage_metadata(context.run_id)),
        },
    )
