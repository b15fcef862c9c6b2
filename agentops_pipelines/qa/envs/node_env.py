"""Build a Node project's test environment: its lockfile installed once into the cache.

The manifests (package.json files, the lockfile, .npmrc) are copied into a cache folder that
mirrors the repository's layout and installed there with install scripts off; the resulting
node_modules folders are mounted read-only into the sandbox's copy of the repo at the same
places, so workspace links (node_modules/@scope/pkg -> ../../packages/pkg) resolve to the
copy's sources. Nothing is written into the user's repository.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from agentops_pipelines.qa.envs import cache
from agentops_pipelines.qa.envs.logged import log_tail, run_logged
from agentops_pipelines.qa.envs.models import EnvProblem, RepoEnvironment
from agentops_pipelines.qa.envs.node_version import (
    NODE_TARGET,
    NodeWanted,
    provision,
    satisfies,
    wanted_node,
)
from agentops_pipelines.repos.envsettings import RepoEnvSettings

LOCKFILES = {"package-lock.json": "npm", "npm-shrinkwrap.json": "npm", "yarn.lock": "yarn",
             "pnpm-lock.yaml": "pnpm"}  # fmt: skip
_INSTALL = {
    "npm": ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
    "yarn": ["npm", "exec", "--yes", "yarn@1", "--", "install", "--frozen-lockfile",
             "--ignore-scripts", "--non-interactive"],
    "pnpm": ["npm", "exec", "--yes", "pnpm@9", "--", "install", "--frozen-lockfile",
             "--ignore-scripts"],
    "none": ["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--no-package-lock"],
}  # fmt: skip


def is_node_project(root: Path) -> bool:
    return (root / "package.json").is_file()


def workspaces(root: Path) -> list[str]:
    """Repo-relative folders of the npm/yarn/pnpm workspaces (each with a package.json)."""
    try:
        data = json.loads((root / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    patterns = data.get("workspaces") or []
    if isinstance(patterns, dict):
        patterns = patterns.get("packages") or []
    pnpm = root / "pnpm-workspace.yaml"
    if pnpm.is_file():
        import yaml

        patterns += (yaml.safe_load(pnpm.read_text(encoding="utf-8")) or {}).get("packages") or []
    found: set[str] = set()
    for pattern in patterns:
        if not isinstance(pattern, str) or pattern.startswith("!"):
            continue
        for match in glob.glob(str(root / pattern)):
            if (Path(match) / "package.json").is_file() and "node_modules" not in match:
                found.add(os.path.relpath(match, root))
    return sorted(found)


def manager(root: Path) -> tuple[str, str | None]:
    for name, tool in LOCKFILES.items():
        if (root / name).is_file():
            return tool, name
    return "none", None


def manifest_files(root: Path) -> list[Path]:
    names = ["package.json", ".npmrc", ".yarnrc", ".yarnrc.yml", "pnpm-workspace.yaml",
             *LOCKFILES]  # fmt: skip
    files = [root / n for n in names if (root / n).is_file()]
    files += [root / ws / "package.json" for ws in workspaces(root)]
    return files


def build_node(root: Path, settings: RepoEnvSettings) -> RepoEnvironment:
    tool, lockfile = manager(root)
    wanted = wanted_node(root, settings.node)
    asked = wanted.spec if wanted else ""
    key = cache.digest(root, manifest_files(root), f"node|{settings.digest_input()}|{asked}")
    found = cache.cached("node", key)
    if found is not None and found.ready:
        return found.model_copy(update={"reused": True, "build_seconds": 0.0})
    started = time.monotonic()
    with cache.building("node", key) as (partial, final):
        mirror = partial / "root"
        for path in manifest_files(root):
            target = mirror / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        log = partial / "install.log"
        env = RepoEnvironment(
            kind="node", project=".", digest=key, path=str(partial),
            interpreter=shutil.which("node"), install_log=str(log),
            test_paths=settings.test_paths,
        )  # fmt: skip
        if lockfile is None:
            env.notes.append("no lockfile: dependencies resolved afresh (not reproducible)")
        command = settings.setup or _INSTALL[tool]
        ok = _npm(command, mirror, log, settings.timeouts.setup)
        if not ok and "EBADPLATFORM" in log.read_text(encoding="utf-8", errors="replace"):
            # A lockfile naming another OS's binary as a plain dependency: npm refuses the whole
            # install unless told to skip the platform check.
            env.notes.append("npm refused a package for another platform; installed with --force")
            ok = _npm([*command, "--force"], mirror, log, settings.timeouts.setup)
        env.interpreter_version = _node_version()
        if wanted is not None:
            _use_wanted_node(env, wanted, settings)
        env.build_seconds = round(time.monotonic() - started, 2)
        if not ok:
            env.problems.append(
                EnvProblem(
                    kind="install", message=f"{' '.join(command)} failed: ...{log_tail(log)}"
                )
            )
            return env.model_copy(update={"path": str(final)})
        env.binds = [(str(final / "root" / rel), rel) for rel in _node_modules_dirs(mirror)] + [
            b for b in env.binds if b[1] == NODE_TARGET
        ]
        env.ready = True
        return cache.publish(partial, final, env)


def _use_wanted_node(env: RepoEnvironment, wanted: NodeWanted, settings: RepoEnvSettings) -> None:
    """Run the tests on the Node the repository asks for: this machine's when it satisfies
    the request, else one provisioned from the npm registry; say plainly when neither works."""
    have = env.interpreter_version
    if have and satisfies(have, wanted.spec):
        env.notes.append(f"Node {have} satisfies {wanted.spec!r} ({wanted.source})")
        return
    binary = provision(wanted.spec, settings.timeouts.setup)
    if binary.problem:
        env.problems.append(EnvProblem(
            kind="interpreter",
            message=f"needs Node {wanted.spec} ({wanted.source}), found {have or 'none'}; "
            f"{binary.problem}; the tests run on {have or 'no Node'}",
        ))  # fmt: skip
        return
    env.binds.append((binary.folder, NODE_TARGET))
    env.interpreter = f"{NODE_TARGET}/bin/node"
    env.path_entries = [f"{NODE_TARGET}/bin"]
    env.interpreter_version = f"v{binary.version}"
    env.notes.append(
        f"Node v{binary.version} from the npm registry (node-linux package, in AgentOps' cache), "
        f"as {wanted.source} asks ({wanted.spec!r}); this machine has {have or 'no Node'}"
    )


def _node_modules_dirs(mirror: Path) -> list[str]:
    """Top-level node_modules of the root and of each workspace folder."""
    out = []
    for folder, dirs, _files in os.walk(mirror):
        if "node_modules" in dirs:
            out.append(os.path.relpath(Path(folder) / "node_modules", mirror))
        dirs[:] = [d for d in dirs if d != "node_modules" and not d.startswith(".")]
    return sorted(out)


def _npm(command: list[str], cwd: Path, log: Path, timeout: float) -> bool:
    env = cache.install_env(CI="1", npm_config_update_notifier="false", ADBLOCK="1")
    return run_logged(command, log, cwd=cwd, env=env, timeout=timeout)


def _node_version() -> str | None:
    node = shutil.which("node")
    if node is None:
        return None
    done = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None
