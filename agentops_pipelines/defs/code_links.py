"""The code repository an asset works on, shared by `generated_code` and `test_results`."""

from pathlib import Path

import dagster as dg

from agentops_pipelines.links import CodeLinksError, linked_repo


def repo_for(configured: str, spec_id: str) -> Path | None:
    """The run config's `repo` wins over the links; a broken links file fails the step with its
    own message and no retry (retrying cannot fix a file)."""
    if configured:
        return Path(configured)
    try:
        return linked_repo(spec_id)
    except CodeLinksError as err:
        raise dg.Failure(description=str(err), allow_retries=False) from err
