"""Validate changed files before they are kept: they parse, and Python passes `ruff check`.

Ruff reads the content on stdin (`--stdin-filename`), so nothing is written before it passes. It
runs `--isolated` with a fixed rule set: the linked repo's own config may select rules generated
code was never asked to follow, and the verdict must not depend on it.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

from agentops_pipelines.codeintel.index import language_of
from agentops_pipelines.codeintel.ts_parse import parse_script

RUFF_SELECT = ("E4", "E7", "E9", "F", "B")
RUFF_LINE_LENGTH = 100


class ValidationSetupError(RuntimeError):
    """The validator itself is missing (ruff not installed)."""


def ruff_binary() -> str:
    beside = Path(sys.executable).parent / "ruff"
    found = str(beside) if beside.exists() else shutil.which("ruff")
    if not found:
        raise ValidationSetupError(
            "ruff is not installed: `pip install ruff` (a project dependency) so generated Python "
            "can be linted before it is kept"
        )
    return found


def ruff_problems(path: str, text: str, cwd: Path) -> list[str]:
    cmd = [
        ruff_binary(),
        "check",
        "--isolated",
        "--no-cache",
        "--output-format=concise",
        f"--line-length={RUFF_LINE_LENGTH}",
        f"--select={','.join(RUFF_SELECT)}",
        f"--stdin-filename={path}",
        "-",
    ]
    done = subprocess.run(
        cmd, input=text, capture_output=True, text=True, cwd=cwd, timeout=60, check=False
    )
    if done.returncode == 0:
        return []
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith(path) or ":" in ln]
    detail = "; ".join(lines[:5]) or done.stderr.strip()[:300]
    return [f"{path}: ruff check failed: {detail}"]


def file_problems(path: str, text: str, cwd: Path) -> list[str]:
    """Problems of one file's new content; empty when it may be kept."""
    language = language_of(path)
    if language == "python":
        try:
            ast.parse(text, filename=path)
        except SyntaxError as exc:
            return [f"{path}: does not parse as Python (line {exc.lineno}: {exc.msg})"]
        return ruff_problems(path, text, cwd)
    if language is not None:
        error = parse_script(text, language).parse_error
        return [f"{path}: does not parse as {language} ({error})"] if error else []
    if path.endswith(".json"):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return [f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})"]
    return []


def change_problems(changes: dict[str, str | None], cwd: Path) -> list[str]:
    problems: list[str] = []
    for path, text in sorted(changes.items()):
        if text is not None:
            problems += file_problems(path, text, cwd)
    return problems
