"""The command each test runner gets: its report goes to fd 3 (REPORT_PATH), a pipe the host
drains, through the runner's own JUnit reporter or one AgentOps installed for itself.

pytest, vitest and mocha have a built-in JUnit/xunit reporter, selected with flags; jest needs
jest-junit, which AgentOps installs into its own tools folder under $AGENTOPS_HOME and mounts
read-only at /opt/agentops-tools: nothing is added to the repository's package.json.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.qa.envs.cache import envs_home, install_env
from agentops_pipelines.qa.envs.models import RepoEnvironment
from agentops_pipelines.qa.sandbox.runner import REPORT_PATH

TOOLS_TARGET = "/opt/agentops-tools"
JEST_JUNIT = "jest-junit@16.0.0"
NODE_RUNNERS = ("vitest", "jest", "mocha")
_CONFIGS = {
    "vitest": ("vitest.config.ts", "vitest.config.mts", "vitest.config.js", "vitest.config.mjs",
               "vitest.workspace.ts", "vitest.workspace.js"),
    "jest": ("jest.config.js", "jest.config.ts", "jest.config.cjs", "jest.config.mjs",
             "jest.config.json"),
    "mocha": (".mocharc.json", ".mocharc.js", ".mocharc.cjs", ".mocharc.yml", ".mocharc.yaml"),
}  # fmt: skip


class RunPlan(BaseModel):
    """One sandboxed run: where it starts, the command, extra env and mounts."""

    runner: str
    cwd: str = Field(default=".", description="repo-relative folder the runner starts in")
    argv: list[str]
    env: dict[str, str] = Field(default_factory=dict)
    binds: list[tuple[str, str]] = Field(default_factory=list)


def pytest_plan(env: RepoEnvironment, paths: list[str], custom: list[str] | None) -> RunPlan:
    if custom:
        return RunPlan(runner="custom", argv=[a.replace("{junit}", REPORT_PATH) for a in custom])
    argv = [
        env.interpreter or "python3", "-m", "pytest", "-p", "no:cacheprovider",
        "-o", "junit_family=xunit1", "-o", "console_output_style=classic",
        "--continue-on-collection-errors", f"--junitxml={REPORT_PATH}", "-rN", *paths,
    ]  # fmt: skip
    if _installed(env, "pytest-cov"):
        argv.append("--no-cov")  # the repo's --cov addopts would only slow the verdicts down
    return RunPlan(runner="pytest", argv=argv, env={"PYTHONDONTWRITEBYTECODE": "1"})


def _installed(env: RepoEnvironment, package: str) -> bool:
    freeze = Path(env.path) / "freeze.txt"
    try:
        text = freeze.read_text(encoding="utf-8").lower()
    except OSError:
        return False
    return any(line.startswith(f"{package}==") for line in text.splitlines())


def node_plans(root: Path, env: RepoEnvironment, custom: list[str] | None) -> list[RunPlan]:
    """vitest at the root when it has a vitest config (its `projects` cover the workspaces),
    else one run per folder (root and workspaces) whose package.json names a runner."""
    node = env.interpreter or "node"
    if custom:
        return [RunPlan(runner="custom", argv=[a.replace("{junit}", REPORT_PATH) for a in custom])]
    mirror = Path(env.path) / "root"
    plans: list[RunPlan] = []
    from agentops_pipelines.qa.envs.node_env import workspaces

    folders = [".", *workspaces(root)]
    if _runner_of(root, ".") == "vitest" and any((root / c).is_file() for c in _CONFIGS["vitest"]):
        folders = ["."]
    for folder in folders:
        runner = _runner_of(root, folder)
        if runner is None:
            continue
        script = _bin(mirror, folder, runner)
        if script is None:
            continue
        plans.append(_plan(runner, node, folder, script, env.test_paths))
    return plans


def _runner_of(root: Path, folder: str) -> str | None:
    try:
        data = json.loads((root / folder / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    deps = {**(data.get("dependencies") or {}), **(data.get("devDependencies") or {})}
    test_script = str((data.get("scripts") or {}).get("test", ""))
    for runner in NODE_RUNNERS:
        if runner in test_script:
            return runner
    for runner in NODE_RUNNERS:
        if runner in deps or any((root / folder / c).is_file() for c in _CONFIGS[runner]):
            return runner
    return None


def _bin(mirror: Path, folder: str, package: str) -> str | None:
    """The runner's entry script, relative to `folder`, from the nearest node_modules up."""
    here = mirror / folder
    while True:
        manifest = here / "node_modules" / package / "package.json"
        if manifest.is_file():
            data = json.loads(manifest.read_text(encoding="utf-8"))
            bins = data.get("bin") or {}
            entry = (
                bins
                if isinstance(bins, str)
                else bins.get(package) or next(iter(bins.values()), None)
            )
            if entry:
                return os.path.relpath(manifest.parent / entry, mirror / folder)
        if here == mirror:
            return None
        here = here.parent


def _plan(runner: str, node: str, folder: str, script: str, paths: list[str]) -> RunPlan:
    heap = ["--max-old-space-size=1536"]
    if runner == "vitest":
        # configLoader=runner: vite would otherwise bundle the config into node_modules/.vite-temp,
        # which is mounted read-only.
        argv = [node, *heap, script, "run", "--configLoader=runner", "--reporter=default",
                "--reporter=junit", f"--outputFile.junit={REPORT_PATH}", *paths]  # fmt: skip
        return RunPlan(runner=runner, cwd=folder, argv=argv, env={"CI": "1", "NO_COLOR": "1"})
    if runner == "mocha":
        argv = [node, *heap, script, "--reporter", "xunit", "--reporter-option",
                f"output={REPORT_PATH}", *paths]  # fmt: skip
        return RunPlan(runner=runner, cwd=folder, argv=argv, env={"NO_COLOR": "1"})
    tools = jest_junit_tools()
    argv = [node, *heap, script, "--ci", "--reporters=default",
            f"--reporters={TOOLS_TARGET}/node_modules/jest-junit", "--", *paths]  # fmt: skip
    # `--`: --reporters is an array option and would take the test paths as reporters.
    return RunPlan(
        runner=runner,
        cwd=folder,
        argv=argv,
        env={
            "JEST_JUNIT_OUTPUT_FILE": REPORT_PATH,
            "JEST_JUNIT_ADD_FILE_ATTRIBUTE": "true",
            "CI": "1",
            "NO_COLOR": "1",
        },  # fmt: skip
        binds=[(str(tools), TOOLS_TARGET)] if tools else [],
    )


def jest_junit_tools() -> Path | None:
    """jest-junit installed once into AgentOps' own folder (never the user's repo)."""
    tools = envs_home() / "tools-jest-junit"
    if (tools / "node_modules" / "jest-junit" / "package.json").is_file():
        return tools
    tools.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["npm", "install", "--prefix", str(tools), "--no-audit", "--no-fund", "--ignore-scripts",
         JEST_JUNIT],
        capture_output=True, text=True, timeout=600, check=False, env=install_env(),
    )  # fmt: skip
    return tools if done.returncode == 0 else None
