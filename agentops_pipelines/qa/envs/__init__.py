"""Per-repository test environments (Python venvs with uv, Node installs), cached by hash."""

from agentops_pipelines.qa.envs.build import build_environments
from agentops_pipelines.qa.envs.models import EnvProblem, RepoEnvironment

__all__ = ["EnvProblem", "RepoEnvironment", "build_environments"]
