"""Bring a CI run's JUnit XML to the folder `test_results` reads for a spec.

A workflow_run's artifacts are downloaded through the Git host; other results (check runs,
commit statuses) rely on files a CI step or an operator already dropped into the folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

from agentops_pipelines.gitops.hosts.base import GitHost, GitHostError
from agentops_pipelines.gitops.status.host_status import CheckSignal
from agentops_pipelines.links import ci_results_dir

log = logging.getLogger(__name__)


def results_dir(home: str, spec_id: str) -> Path:
    return ci_results_dir(Path(home), spec_id)


def collect_junit(home: str, spec_id: str, signal: CheckSignal, host: GitHost | None) -> int:
    """How many JUnit files the folder holds after fetching what the signal points at."""
    dest = results_dir(home, spec_id)
    if signal.workflow_run_id is not None and host is not None:
        try:
            host.download_junit(signal.repo, signal.workflow_run_id, dest)
        except GitHostError as err:
            log.warning("JUnit of workflow run %s not fetched: %s", signal.workflow_run_id, err)
    return len(list(dest.glob("*.xml"))) if dest.is_dir() else 0
