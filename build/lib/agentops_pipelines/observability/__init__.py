"""Structured JSON logs with a correlation ID, and Prometheus metrics for the API."""

from agentops_pipelines.observability.context import (
    bind_correlation_id,
    correlation_id,
    new_correlation_id,
)
from agentops_pipelines.observability.logs import (
    JsonFormatter,
    configure_json_logging,
    json_logs_enabled,
)
from agentops_pipelines.observability.run import observed_run

__all__ = [
    "JsonFormatter",
    "bind_correlation_id",
    "configure_json_logging",
    "correlation_id",
    "json_logs_enabled",
    "new_correlation_id",
    "observed_run",
]
