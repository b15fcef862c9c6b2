"""Find the test files of a workspace (any language) and fingerprint them.

Fingerprints let QA tell "the requirement changed but its tests did not" apart from "both were
updated and ran green again".
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import subprocess
from pathlib import Path

from agentops_pipelines.qa.run_memo import memo
from agentops_pipelines.qa.sandbox.runner import DEFAULT_EXCLUDE

TEST_GLOBS = (
    "test_*.py",
    "*_test.py",
    "*.test.[jt]s",
    "*.test.[jt]sx",
    "*.spec.[jt]s",
    "*.spec.[jt]sx",
    "*.test.mjs",
    "*_test.go",
    "*Test.java",
    "*Tests.java",
)
SKIP_DIRS = set(DEFAULT_EXCLUDE) | {"dist", "build", ".mypy_cache", ".ruff_cache"}


def test_files(root: Path) -> list[Path]:
    """Test files under `root`, sorted; files in a `__tests__` folder count whatever their name.
    Walked once per scoring run (`qa.run_memo`)."""
    return list(memo("test_files", str(root), lambda: _walk(root)))


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        in_tests_dir = Path(folder).name == "__tests__"
        for name in sorted(files):
            if in_tests_dir or any(fnmatch.fnmatch(name, g) for g in TEST_GLOBS):
                found.append(Path(folder) / name)
    return found


def has_python_tests(root: Path) -> bool:
    return any(p.suffix == ".py" for p in test_files(root))


def fingerprints(paths: list[Path]) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


def head_commit(root: Path) -> str | None:
    """The commit the tests ran at, for drill-down; None outside a git checkout."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None
