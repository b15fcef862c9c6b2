"""Which test framework generated acceptance tests must use: the repository's own.

vitest or jest when package.json (the root's or a workspace package's) depends on one, pytest
for a Python project or a folder with no package.json; when the repository's existing tests are
mostly of one language, that one wins. A JS/TS project with neither vitest nor jest gets none,
with the reason, because a skeleton nobody can run is noise in a PR.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from agentops_pipelines.qa.discover import test_files

FrameworkName = Literal["pytest", "vitest", "jest", "none"]
_PY_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "pytest.ini", "tox.ini")


class TestFramework(BaseModel):
    __test__ = False

    name: FrameworkName
    reason: str
    typescript: bool = False


def detect_framework(workspace: Path) -> TestFramework:
    js = _js_framework(workspace)
    python = _is_python(workspace)
    tests = test_files(workspace) if workspace.is_dir() else []
    py_tests = sum(p.suffix == ".py" for p in tests)
    js_tests = len(tests) - py_tests
    if js and (not python or js_tests >= py_tests):
        name, where = js
        ts = (workspace / "tsconfig.json").is_file()
        return TestFramework(name=name, reason=f"{name} in {where}", typescript=ts)
    if python:
        return TestFramework(name="pytest", reason="Python project (pytest)")
    if (workspace / "package.json").is_file():
        return TestFramework(
            name="none",
            reason="package.json names neither vitest nor jest: no skeleton AgentOps could run",
        )
    return TestFramework(name="pytest", reason="no package.json: pytest, AgentOps' default")


def _js_framework(workspace: Path) -> tuple[FrameworkName, str] | None:
    manifests = [workspace / "package.json", *sorted(workspace.glob("*/*/package.json"))]
    for manifest in manifests:
        if "node_modules" in manifest.parts or not manifest.is_file():
            continue
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        deps = {**data.get("dependencies", {}), **data.get("devDependencies", {})}
        script = str(data.get("scripts", {}).get("test", ""))
        rel = manifest.relative_to(workspace).as_posix()
        for name in ("vitest", "jest"):
            if name in deps or name in script:
                return name, rel  # type: ignore[return-value]
    return None


def _is_python(workspace: Path) -> bool:
    if any((workspace / m).is_file() for m in _PY_MARKERS):
        return True
    return any(workspace.glob("requirements*.txt"))
