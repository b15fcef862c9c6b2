"""The spec's change as a proposed pull request, pushed only after a human approves it."""

from pathlib import Path

import dagster as dg

from agentops_pipelines.defs.partitions import spec_partitions
from agentops_pipelines.defs.retries import OUTSIDE_RETRY
from agentops_pipelines.gitops.changes.path_guard import ProtectedPathError
from agentops_pipelines.gitops.delivery import DeliveryState, propose
from agentops_pipelines.planning import TaskGraph
from agentops_pipelines.resources.gitops import GitOpsResource
from agentops_pipelines.resources.spec_source import ArtefactRoot


class PullRequestConfig(dg.Config):
    export_issues: bool = False  # also open one GitHub issue per task (needs a token)


@dg.asset(
    partitions_def=spec_partitions,
    group_name="delivery",
    kinds={"github"},
    code_version="1",
    # Read from their artefacts, not passed in: the proposal carries the generated files and the
    # QA evidence, so it is made after both (lineage in the UI, order in spec_pipeline_job).
    deps=["generated_code", "qa_scores"],
    automation_condition=dg.AutomationCondition.eager(),
    retry_policy=OUTSIDE_RETRY,
)
def pull_request(
    task_graph: TaskGraph,
    config: PullRequestConfig,
    gitops: GitOpsResource,
    artefacts: ArtefactRoot,
) -> dg.Output[DeliveryState]:
    """Proposed change (generated code, else the task checklist) awaiting approval on the Git
    page; once approved it is pushed to its branch and the PR opened or updated."""
    try:
        state = propose(
            gitops.sessions(),
            task_graph,
            Path(artefacts.path),
            gitops.publish_config(),
            gitops.host(),
            export_issues=config.export_issues,
        )
    except ProtectedPathError as err:
        raise dg.Failure(description=str(err), allow_retries=False) from err
    return dg.Output(
        state,
        metadata={
            "outcome": state.outcome,
            "status": state.status or "none",
            "repo": state.repo or "unlinked",
            "branch": state.branch or "",
            "source": state.source or "",
            "files": state.files,
            "proposal_id": state.proposal_id or 0,
            "pr_url": state.pr_url or "",
            "issues": dg.MetadataValue.json(state.issues),
        },
    )
