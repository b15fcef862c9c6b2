"""One JSON object per log line, with the correlation ID, behind the secret-redacting filter."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO

from agentops_pipelines.observability.context import correlation_id
from agentops_pipelines.security import install_secret_filter
from agentops_pipelines.settings import settings_for

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Fields: ts, level, logger, message, correlation_id, plus any `extra=` the caller gave.

    The secret filter runs before formatting (it rewrites `record.msg`), so the message here is
    already redacted; extras are rendered with `default=str` and never include the record args.
    """

    def __init__(self, service: str = "agentops") -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "service": self.service,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None) or correlation_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_text or record.exc_info:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(entry, default=str)


def json_logs_enabled(env: dict[str, str] | None = None) -> bool:
    """JSON is the default; AGENTOPS_LOG_FORMAT=plain keeps the host's own log format."""
    return settings_for(env).deployment.log_format != "plain"


def configure_json_logging(
    service: str, stream: IO[str] | None = None, level: int = logging.INFO
) -> logging.Handler:
    """Add one JSON handler to the root logger (idempotent per service) with the secret filter."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler.formatter, JsonFormatter) and handler.formatter.service == service:
            return handler
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    install_secret_filter(root)
    return handler
