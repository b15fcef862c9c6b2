"""Approved changes pushed with real git to a bare repo; PRs and issues on the local GitHub."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from gitops_fake_github import REPO, TOKEN, FakeGitHub
from gitops_repos import bare_repo, git, sample_graph
from sqlalchemy import update

from agentops_pipelines.gitops.change_tables import ProposalRow
from agentops_pipelines.gitops.changes.approval import decide
from agentops_pipelines.gitops.changes.proposals import (
    ProposedChange,
    ProposedFile,
    upsert_proposal,
)
from agentops_pipelines.gitops.delivery import propose
from agentops_pipelines.gitops.hosts.github_host import GitHubHost
from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.gitops.push.publish import PublishConfig, publish
from agentops_pipelines.gitops.status.task_status import task_statuses
from agentops_pipelines.store.db import open_store

BRANCH = "agentops/billing-spec/tasks-code"


@pytest.fixture
def setup(tmp_path: Path, server, fake: FakeGitHub):
    bare = bare_repo(tmp_path, "shop", {"README.md": "# shop\n", "src/api.py": "old\n"})
    fake.git_dir = bare
    sessions = open_store(f"sqlite:///{tmp_path / 'app.db'}")
    save_link(sessions, RepoLink(repo=REPO, remote_url=str(bare), implements="*"))
    host = GitHubHost(TOKEN, base_url=server[0], seconds_between_writes=0)
    config = PublishConfig(workdir=tmp_path / "work", token=TOKEN)
    return sessions, host, config, bare


def change(files: dict[str, str | None]) -> ProposedChange:
    return ProposedChange(
        spec_id="billing/spec.md",
        repo=REPO,
        base="main",
        branch=BRANCH,
        title="Invoice API",
        source="generated_code",
        task_ids=["T-1"],
        requirement_ids=["REQ-1"],
        files=[ProposedFile(path=p, content=c) for p, c in files.items()],
        evidence={"qa_scores": {"completion": 0.75}},
    )


def approve_and_publish(sessions, host, config, proposed: ProposedChange):
    proposal, _ = upsert_proposal(sessions, proposed)
    decide(sessions, proposal.id, approve=True, actor="ana", reason="reviewed")
    return publish(sessions, proposal.id, host, config, "ana")


def test_nothing_is_pushed_without_approval(setup) -> None:
    sessions, host, config, _ = setup
    proposal, _ = upsert_proposal(sessions, change({"src/api.py": "new\n"}))
    with pytest.raises(ValueError, match="approve it before"):
        publish(sessions, proposal.id, host, config, "ana")


def test_rerun_moves_the_same_branch_and_updates_the_same_pr(setup, tmp_path, fake) -> None:
    sessions, host, config, bare = setup
    first = approve_and_publish(sessions, host, config, change({"src/api.py": "new\n"}))
    assert first.status == "pushed" and first.pr_number == 1
    show = git(tmp_path, "--git-dir", str(bare), "show", f"{BRANCH}:src/api.py")
    assert show == "new"
    assert git(tmp_path, "--git-dir", str(bare), "show", "main:src/api.py") == "old"
    assert "completion=0.75" in fake.pulls[0]["body"] and "REQ-1" in fake.pulls[0]["body"]

    second = approve_and_publish(
        sessions, host, config, change({"src/api.py": "newer\n", "README.md": None})
    )
    assert second.status == "pushed" and second.pr_number == 1 and len(fake.pulls) == 1
    parents = git(tmp_path, "--git-dir", str(bare), "rev-list", "--parents", "-n1", BRANCH)
    assert parents.split()[1] == first.commit_sha  # fast-forward on the same branch
    files = git(tmp_path, "--git-dir", str(bare), "ls-tree", "--name-only", "-r", BRANCH)
    assert "README.md" not in files.split()


def test_protected_path_in_a_stored_proposal_is_refused_at_push(setup, tmp_path) -> None:
    sessions, host, config, bare = setup
    proposal, _ = upsert_proposal(sessions, change({"src/api.py": "new\n"}))
    tampered = json.dumps([{"path": ".github/workflows/ci.yml", "content": "on: push"}])
    with sessions.begin() as session:
        session.execute(update(ProposalRow).values(files=tampered))
    decide(sessions, proposal.id, approve=True, actor="ana", reason="ok")
    failed = publish(sessions, proposal.id, host, config, "ana")
    assert failed.status == "failed" and ".github/workflows/ci.yml" in (failed.error or "")
    assert git(tmp_path, "--git-dir", str(bare), "branch", "--list", "agentops/*") == ""


def test_push_failure_is_recorded_without_the_token(setup, tmp_path, caplog) -> None:
    sessions, host, config, _ = setup
    caplog.set_level(logging.DEBUG)
    save_link(sessions, RepoLink(repo=REPO, remote_url=str(tmp_path / "missing.git")))
    failed = approve_and_publish(sessions, host, config, change({"src/api.py": "new\n"}))
    assert failed.status == "failed" and "git clone" in (failed.error or "")
    assert TOKEN not in (failed.error or "") and TOKEN not in caplog.text


def test_issues_export_once_per_task(setup, fake) -> None:
    _, host, _, _ = setup
    payloads = [
        {"title": "[s] A", "body": "a", "labels": ["agentops", "task:test"]},
        {"title": "[s] B", "body": "b", "labels": ["agentops"]},
    ]
    assert host.create_issues(REPO, payloads) == [1, 2]
    assert host.create_issues(REPO, payloads) == [1, 2] and len(fake.issues) == 2
    assert fake.issues[0]["label_names"] == ["agentops", "task:test"]


def test_junit_artifacts_are_downloaded_without_leaking_the_token(setup, tmp_path, fake) -> None:
    _, host, _, _ = setup
    fake.add_workflow_run(42, "abc", {"junit.xml": "<testsuite tests='1'/>", "log.txt": "x"})
    written = host.download_junit(REPO, 42, tmp_path / "ci")
    assert [p.name for p in written] == ["junit.xml"]
    assert (tmp_path / "ci" / "junit.xml").read_text() == "<testsuite tests='1'/>"
    storage = [h for h, c in zip(fake.headers_seen, fake.calls, strict=True) if "/storage/" in c]
    assert storage and all("authorization" not in h for h in storage)


def test_pull_request_step_proposes_and_exports_issues(setup, tmp_path, fake) -> None:
    sessions, host, config, _ = setup
    state = propose(sessions, sample_graph(), tmp_path / "artefacts", config, host, True)
    assert state.outcome == "created" and state.status == "proposed" and state.issues == [1, 2]
    assert [i["title"] for i in fake.issues] == [
        "[billing/spec.md] Invoice API",
        "[billing/spec.md] Invoice tests",
    ]
    assert {t.issue_number for t in task_statuses(sessions, "billing/spec.md")} == {1, 2}
    assert fake.pulls == []  # proposing never pushes
    again = propose(sessions, sample_graph(), tmp_path / "artefacts", config, host, True)
    assert again.outcome == "unchanged" and len(fake.issues) == 2
