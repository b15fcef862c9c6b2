"""Real git repositories on tmp_path and GitHub-shaped deliveries built from the examples."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path

from agentops_pipelines.planning.graph_models import Task, TaskGraph

EXAMPLES = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "github_webhooks"
).resolve() / "payload-examples"

ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.test",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.test",
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=os.environ | ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def bare_repo(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    """A bare repository whose `main` holds `files`, like a fresh GitHub repository."""
    bare = tmp_path / f"{name}.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    work = tmp_path / f"{name}-seed"
    git(tmp_path, "clone", "--quiet", str(bare), str(work))
    git(work, "checkout", "--quiet", "-B", "main")
    for path, text in files.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_text(text)
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "initial")
    git(work, "push", "--quiet", "origin", "main")
    return bare


def commit_and_push(work: Path, files: dict[str, str | None], message: str) -> str:
    for path, text in files.items():
        if text is None:
            git(work, "rm", "--quiet", path)
        else:
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_text(text)
            git(work, "add", path)
    git(work, "commit", "--quiet", "-m", message)
    git(work, "push", "--quiet", "origin", "HEAD:main")
    return git(work, "rev-parse", "HEAD")


def example(event: str, name: str) -> dict:
    return json.loads((EXAMPLES / event / name).read_text())


def push_payload(repo: str, after: str, added=(), modified=(), removed=()) -> dict:
    payload = copy.deepcopy(example("push", "payload.json"))
    payload["ref"] = "refs/heads/main"
    payload["after"] = after
    payload["repository"]["full_name"] = repo
    commit = copy.deepcopy(payload["commits"][0]) if payload["commits"] else {"id": after}
    commit.update(
        id=after, added=list(added), modified=list(modified), removed=list(removed), message="m"
    )
    payload["commits"] = [commit]
    payload["head_commit"] = commit
    return payload


def check_run_payload(repo: str, sha: str, branch: str, conclusion: str) -> dict:
    payload = copy.deepcopy(example("check_run", "completed.payload.json"))
    payload["repository"]["full_name"] = repo
    run = payload["check_run"]
    run.update(head_sha=sha, status="completed", conclusion=conclusion, name="pytest")
    run["check_suite"]["head_branch"] = branch
    run["check_suite"]["head_sha"] = sha
    run["pull_requests"] = [
        {"number": 1, "head": {"ref": branch, "sha": sha}, "base": {"ref": "main", "sha": sha}}
    ]
    return payload


def pull_request_payload(repo: str, branch: str, sha: str, action: str, merged: bool) -> dict:
    payload = copy.deepcopy(example("pull_request", "closed.payload.json"))
    payload["action"] = action
    payload["repository"]["full_name"] = repo
    pr = payload["pull_request"]
    pr["head"]["ref"], pr["head"]["sha"] = branch, sha
    pr["merged"] = merged
    pr["state"] = "closed" if action == "closed" else "open"
    return payload


def sample_graph() -> TaskGraph:
    """Two tasks of spec `billing/spec.md`, enough for proposals and issue export."""
    tasks = [
        Task(
            id="generate_code/api/REQ-1",
            type="generate_code",
            title="Invoice API",
            description="Build it",
            requirement_ids=["REQ-1"],
            files=["src/api.py"],
        ),
        Task(
            id="test/api/REQ-2",
            type="test",
            title="Invoice tests",
            description="Test it",
            requirement_ids=["REQ-2"],
            files=["tests/test_api.py"],
            level=1,
        ),
    ]
    return TaskGraph(
        spec_id="billing/spec.md",
        template_id="rest_service",
        template_version="1",
        requirement_ids=["REQ-1", "REQ-2"],
        tasks=tasks,
        edges=[],
        artifacts=[],
        hash="abc123",
    )
