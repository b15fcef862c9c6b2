"""The Dagster side of correlation: a run's Python log lines carry its run ID as correlation ID."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from agentops_pipelines.observability.context import bind_correlation_id
from agentops_pipelines.observability.logs import configure_json_logging, json_logs_enabled


@contextmanager
def observed_run(run_id: str, service: str = "dagster") -> Iterator[str]:
    """Bind the run ID and make sure the process logs JSON (configured once, at run time, so
    importing the code location never changes a host's logging)."""
    if json_logs_enabled():
        configure_json_logging(service)
    with bind_correlation_id(run_id) as cid:
        yield cid
