"""Git repositories for the review tests: a sample repo committed on main, a feature branch
with edits, and the PR webhook payload that names both heads."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
LOGQ = PROJECT / "examples" / "repos" / "logq"
LOGQ_SPEC = PROJECT / "examples" / "specs" / "log-search-cli" / "spec.md"
_IDENTITY = ["-c", "user.email=dev@example.test", "-c", "user.name=dev"]

Edit = Callable[[str], str] | str | None


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *_IDENTITY, *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def sample_repo(dest: Path, source: Path = LOGQ) -> Path:
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "base")
    return dest


def branch(repo: Path, name: str, edits: dict[str, Edit], base: str = "main") -> tuple[str, str]:
    """Commit `edits` (text, a function of the old text, or None to delete) on a new branch."""
    git(repo, "checkout", "-q", base)
    base_sha = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-B", name)
    for path, edit in edits.items():
        target = repo / path
        if edit is None:
            target.unlink()
            continue
        old = target.read_text() if target.exists() else ""
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(edit(old) if callable(edit) else edit)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"change {name}")
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", base)
    return base_sha, head


def pull_payload(repo_name: str, number: int, action: str, base: str, head: str) -> dict:
    return {
        "action": action,
        "number": number,
        "pull_request": {
            "number": number,
            "state": "open",
            "title": f"PR {number}",
            "head": {"ref": f"feature-{number}", "sha": head},
            "base": {"ref": "main", "sha": base},
        },
        "repository": {"full_name": repo_name, "default_branch": "main"},
    }
