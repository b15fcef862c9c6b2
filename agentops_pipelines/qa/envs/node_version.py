"""The Node version a repository asks for, and that Node provisioned from the npm registry.

Where a repository says which Node it runs on, first found wins: `.agentops.yml`
(`environment.node`), `.nvmrc`, `.node-version`, package.json `volta.node`, package.json
`engines.node`, then the `node-version:` its CI workflows give `actions/setup-node`. When the
Node on this machine does not satisfy it, the matching `node-linux-<arch>` package (the Node
binary as the npm registry ships it) is installed into AgentOps' own cache, never into the repo,
and mounted read-only into the sandbox.
"""

from __future__ import annotations

import json
import platform
import re
import shutil
import subprocess
from pathlib import Path

from pydantic import BaseModel

from agentops_pipelines.qa.envs.cache import envs_home, install_env

NODE_TARGET = "/opt/agentops-node"
_SETUP_NODE = re.compile(r"""^\s*node-version\s*:\s*['"]?(?P<v>[^'"#\n]+?)['"]?\s*(?:#.*)?$""")
_VERSION = re.compile(r"v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?")
_ARCH = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}


class NodeWanted(BaseModel):
    spec: str
    source: str  # where the repository says it, e.g. ".nvmrc" or ".github/workflows/ci.yml"


class NodeBinary(BaseModel):
    version: str  # "24.22.3"
    folder: str  # host folder holding bin/node (mounted at NODE_TARGET)
    problem: str | None = None


def wanted_node(root: Path, configured: str | None = None) -> NodeWanted | None:
    if configured:
        return NodeWanted(spec=configured, source=".agentops.yml environment.node")
    for name in (".nvmrc", ".node-version"):
        text = _read(root / name).strip()
        if text and not text.startswith("lts"):
            return NodeWanted(spec=text.splitlines()[0].strip(), source=name)
    try:
        manifest = json.loads(_read(root / "package.json") or "{}")
    except ValueError:
        manifest = {}
    volta = (manifest.get("volta") or {}).get("node") if isinstance(manifest, dict) else None
    if isinstance(volta, str) and volta.strip():
        return NodeWanted(spec=volta.strip(), source="package.json volta.node")
    engines = (manifest.get("engines") or {}).get("node") if isinstance(manifest, dict) else None
    if isinstance(engines, str) and engines.strip():
        return NodeWanted(spec=engines.strip(), source="package.json engines.node")
    workflows = root / ".github" / "workflows"
    for path in sorted(workflows.glob("*.y*ml")) if workflows.is_dir() else []:
        for line in _read(path).splitlines():
            match = _SETUP_NODE.match(line)
            if match and "${{" not in match.group("v") and _VERSION.match(match.group("v")):
                return NodeWanted(spec=match.group("v"), source=str(path.relative_to(root)))
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _parts(version: str) -> tuple[int, int, int]:
    nums = [int(n) for n in re.findall(r"\d+", version)[:3]]
    return (nums + [0, 0, 0])[0], (nums + [0, 0, 0])[1], (nums + [0, 0, 0])[2]


def satisfies(version: str, spec: str) -> bool:
    """Whether `version` ("v24.1.0") meets a Node range as repositories write them: `24`,
    `24.1`, `v24.1.0`, `24.x`, `^22.12`, `~20.11`, `>=22`, `>=18 <21`, `20 || 22`."""
    have = _parts(version)
    return any(
        all(_one(have, term) for term in alternative.split())
        for alternative in spec.split("||")
        if alternative.strip()
    )


def _one(have: tuple[int, int, int], term: str) -> bool:
    match = re.fullmatch(r"(>=|<=|>|<|=|\^|~)?\s*(.+)", term.strip())
    if not match:
        return False
    op, rest = match.group(1) or "", match.group(2)
    parsed = _VERSION.fullmatch(rest)
    if not parsed:
        return False
    given = [g for g in parsed.groups() if g is not None and g not in ("x", "*")]
    want = tuple(int(g) for g in given) + (0,) * (3 - len(given))
    if op == ">=":
        return have >= want
    if op == ">":
        return have > want
    if op == "<=":
        return have <= want
    if op == "<":
        return have < want
    if op == "^":
        return have >= want and have[0] == want[0]
    if op == "~":
        return have >= want and have[:2] == want[:2]
    return have[: len(given)] == want[: len(given)]  # "24", "24.1", "24.x": a prefix


def system_node() -> str | None:
    node = shutil.which("node")
    if node is None:
        return None
    done = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def provision(spec: str, timeout: float = 900) -> NodeBinary:
    """The newest Node the npm registry has for `spec`, installed once into the cache."""
    arch = _ARCH.get(platform.machine().lower())
    if arch is None:
        why = f"no Node package for {platform.machine()}"
        return NodeBinary(version="", folder="", problem=why)
    package = f"node-linux-{arch}"
    done = subprocess.run(
        ["npm", "view", package, "versions", "--json"], capture_output=True, text=True,
        timeout=120, check=False, env=install_env(),
    )  # fmt: skip
    try:
        versions = [v for v in json.loads(done.stdout or "[]") if isinstance(v, str)]
    except ValueError:
        versions = []
    matching = sorted((v for v in versions if satisfies(v, spec)), key=_parts)
    if not matching:
        why = (done.stderr or "").strip()[-300:] or f"no {package} version matches {spec!r}"
        return NodeBinary(version="", folder="", problem=f"cannot provision Node {spec}: {why}")
    version = matching[-1]
    folder = envs_home() / "node-bin" / version
    binary = folder / "node_modules" / package
    if (binary / "bin" / "node").is_file():
        return NodeBinary(version=version, folder=str(binary))
    partial = folder.with_name(f".{version}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    done = subprocess.run(
        ["npm", "install", "--prefix", str(partial), "--no-audit", "--no-fund",
         "--ignore-scripts", "--no-save", f"{package}@{version}"],
        capture_output=True, text=True, timeout=timeout, check=False, env=install_env(),
    )  # fmt: skip
    if done.returncode != 0 or not (partial / "node_modules" / package / "bin" / "node").is_file():
        shutil.rmtree(partial, ignore_errors=True)
        tail = (done.stderr or done.stdout or "").strip()[-300:]
        return NodeBinary(version=version, folder="", problem=f"npm install {package}@{version} "
                          f"failed: {tail}")  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)
    partial.replace(folder)
    return NodeBinary(version=version, folder=str(binary))
