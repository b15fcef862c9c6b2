"""Guards around every SpecGPT request: toggle, rate limit, content filter, redaction.

The rate limit counts the usage log (a table every process writes), so it holds across the API,
Streamlit and Dagster processes instead of per process.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.assistant.tables import UsageRow
from agentops_pipelines.security import redact
from agentops_pipelines.settings import get_settings

TOGGLE_ENV = "AGENTOPS_SPECGPT_ENABLED"
RATE_LIMIT_ENV = "AGENTOPS_SPECGPT_RATE_PER_MINUTE"
DEFAULT_RATE_PER_MINUTE = 20
MAX_INPUT_CHARS = 4000

# Inputs trying to override the instructions, or asking for secrets/harm; outputs are checked
# for the same plus leaked secrets (redaction runs on every output as well).
_BLOCKED_INPUT = re.compile(
    r"ignore (all |any )?(previous|prior|above) instructions|disregard (the )?system prompt|"
    r"reveal (your|the) (system )?prompt|print (the )?(api[_ ]?key|password|secret)s?|"
    r"\b(build|make) (a )?(bomb|weapon|malware)\b",
    re.I,
)
_BLOCKED_OUTPUT = re.compile(
    r"as an ai language model|my system prompt is|BEGIN (RSA |EC )?PRIVATE KEY", re.I
)


class SpecGPTRefusal(Exception):
    """A request SpecGPT will not serve; `code` is stable for API clients and the usage log."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def specgpt_enabled(session_factory: sessionmaker[Session], workspace: str) -> bool:
    """Per-workspace toggle (features.py); the env variable switches it off everywhere."""
    if not get_settings().assistant.enabled:
        return False
    from agentops_pipelines.features import SPECGPT, feature_enabled

    return feature_enabled(session_factory, workspace, SPECGPT)


def check_enabled(session_factory: sessionmaker[Session], workspace: str) -> None:
    if not specgpt_enabled(session_factory, workspace):
        raise SpecGPTRefusal(
            "disabled",
            f"SpecGPT is switched off for workspace {workspace!r}; an admin can enable it with "
            f"`set_feature(..., {workspace!r}, 'specgpt', True, actor)` or unset {TOGGLE_ENV}",
        )


def check_rate(
    session_factory: sessionmaker[Session], user: str, now: datetime | None = None
) -> None:
    limit = get_settings().assistant.rate_per_minute
    now = now or datetime.now(UTC)
    with session_factory() as session:
        recent = session.scalar(
            select(func.count(UsageRow.id)).where(
                UsageRow.user_name == user,
                UsageRow.at >= now - timedelta(minutes=1),
                UsageRow.outcome != "rate_limited",
            )
        )
    if (recent or 0) >= limit:
        raise SpecGPTRefusal(
            "rate_limited",
            f"user {user!r} made {recent} SpecGPT requests in the last minute (limit {limit}); "
            f"wait a minute or raise {RATE_LIMIT_ENV}",
        )


def screen_input(text: str) -> tuple[str, int]:
    """Refuse blocked or oversized input; return it redacted with the number of redactions."""
    if len(text) > MAX_INPUT_CHARS:
        raise SpecGPTRefusal(
            "too_long",
            f"the question has {len(text)} characters (limit {MAX_INPUT_CHARS}); shorten it",
        )
    if _BLOCKED_INPUT.search(text):
        raise SpecGPTRefusal(
            "blocked_input",
            "the question was blocked by the content filter (instruction override or a request "
            "for secrets); rephrase it as a question about the specs",
        )
    redaction = redact(text)
    return redaction.text, redaction.total


def screen_output(text: str) -> str:
    """Redact secrets/PII a model may echo; replace a blocked answer with a refusal note."""
    if _BLOCKED_OUTPUT.search(text):
        return "The answer was withheld by the content filter."
    return redact(text).text
