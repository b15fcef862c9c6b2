"""Sandboxed command runs: no network, unprivileged, rlimited, wall-clocked, scrubbed env."""

from agentops_pipelines.qa.sandbox.interpreter import sandbox_python
from agentops_pipelines.qa.sandbox.isolation import isolation_mode
from agentops_pipelines.qa.sandbox.models import (
    KilledBy,
    SandboxLimits,
    SandboxResult,
    SandboxUnavailableError,
)
from agentops_pipelines.qa.sandbox.runner import run_sandboxed

__all__ = [
    "KilledBy",
    "SandboxLimits",
    "SandboxResult",
    "SandboxUnavailableError",
    "isolation_mode",
    "run_sandboxed",
    "sandbox_python",
]
