"""Which environments a repository needs, built (or taken from the cache) in order."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.qa.discover import test_files
from agentops_pipelines.qa.envs.models import EnvProblem, RepoEnvironment
from agentops_pipelines.qa.envs.node_env import build_node, is_node_project
from agentops_pipelines.qa.envs.pyproject_deps import is_python_project
from agentops_pipelines.qa.envs.python_env import build_python
from agentops_pipelines.repos.envsettings import RepoEnvSettings

_JS = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")


def build_environments(root: Path, settings: RepoEnvSettings) -> list[RepoEnvironment]:
    """One environment per language that has tests: Python at the root, Node at the root."""
    files = test_files(root)
    envs: list[RepoEnvironment] = []
    if any(p.suffix == ".py" for p in files):
        if is_python_project(root):
            envs.append(build_python(root, ".", settings))
        else:
            envs.append(_bare_python(root, settings))
    if any(p.suffix in _JS for p in files) and is_node_project(root):
        envs.append(build_node(root, settings))
    return envs


def _bare_python(root: Path, settings: RepoEnvSettings) -> RepoEnvironment:
    """Tests but no manifest: pytest on the system interpreter, said plainly."""
    env = build_python(root, ".", settings)
    env.problems.append(
        EnvProblem(
            kind="install",
            message="no pyproject.toml, setup.py or requirements*.txt: only pytest was installed; "
            "add a requirements file so the tests' imports resolve",
        )
    )
    return env
