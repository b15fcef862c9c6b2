"""Secret and PII redaction for raw specs, LLM prompts and logs."""

from agentops_pipelines.security.kinds import RedactionKind
from agentops_pipelines.security.logging_filter import (
    SecretRedactingFilter,
    install_secret_filter,
    mask_secret,
)
from agentops_pipelines.security.redact import Redaction, redact

__all__ = [
    "Redaction",
    "RedactionKind",
    "SecretRedactingFilter",
    "install_secret_filter",
    "mask_secret",
    "redact",
]
