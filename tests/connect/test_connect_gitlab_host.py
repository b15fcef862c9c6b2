"""GitLab through the same host seam as GitHub: python-gitlab over HTTP against a local GitLab
REST stand-in. Publish (branch, commit, merge request, reused on re-run), MR status, comments,
issues; the token only ever goes to the GitLab URL it was given."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from connect_fake_gitlab import PROJECT, TOKEN, FakeGitLab, running_gitlab

from agentops_pipelines.connect.gitlab_host import GitLabHost, may_send_token
from agentops_pipelines.gitops.githost import ChangeRequest, FileChange, GitHost, GitHostError


@pytest.fixture
def gitlab_fake() -> Iterator[FakeGitLab]:
    yield from running_gitlab()


def _change(content: str) -> ChangeRequest:
    return ChangeRequest(
        repo=PROJECT, spec_id="billing/spec.md", task_id="T-1", title="Invoices: add totals",
        files=[FileChange(path="src/invoices.py", content=content),
               FileChange(path="README.md", content="# shop\n")],
        requirements=["FR-001"],
    )  # fmt: skip


def test_gitlab_publish_opens_one_merge_request_and_reuses_it(
    gitlab_fake: FakeGitLab, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    host: GitHost = GitLabHost(gitlab_fake.base, TOKEN)  # the same seam the pipeline uses
    first = host.publish(_change("TOTAL = 1\n"))
    assert first.created_pr and first.pr_number == 1 and first.commit_sha
    assert first.pr_url == f"{gitlab_fake.base}/{PROJECT}/-/merge_requests/1"
    # README.md is unchanged, so only the new file is in the commit.
    assert [a["file_path"] for a in gitlab_fake.commits[0]["actions"]] == ["src/invoices.py"]
    assert gitlab_fake.mrs[0]["target_branch"] == "main"
    assert "FR-001" in gitlab_fake.mrs[0]["description"]

    again = host.publish(_change("TOTAL = 2\n"))
    assert (again.created_pr, again.pr_number, again.branch) == (False, 1, first.branch)
    assert gitlab_fake.commits[1]["actions"][0]["action"] == "update"
    unchanged = host.publish(_change("TOTAL = 2\n"))
    assert unchanged.commit_sha is None and len(gitlab_fake.mrs) == 1
    assert TOKEN not in caplog.text


def test_gitlab_merge_request_status_and_comments(gitlab_fake: FakeGitLab) -> None:
    host = GitLabHost(gitlab_fake.base, TOKEN)
    pull = host.open_or_update_pull(PROJECT, "feature/x", "main", "Title", "Body")
    assert pull.created and pull.state == "open"
    note = host.comment(PROJECT, pull.number, "Traceability: FR-001 covered")
    assert [c.body for c in host.comments(PROJECT, pull.number)] == ["Traceability: FR-001 covered"]
    assert note == 900
    gitlab_fake.mrs[0]["state"] = "merged"
    assert host.pull_status(PROJECT, pull.number).state == "merged"
    assert host.create_issues(
        PROJECT, [{"title": "T-1", "body": "do it", "labels": ["a", "b"]}]
    ) == [1]
    assert gitlab_fake.issues[0]["labels"] == "a,b"


def test_gitlab_refusals_name_the_operation_without_the_token(gitlab_fake: FakeGitLab) -> None:
    with pytest.raises(GitHostError, match="HTTP 401") as err:
        GitLabHost(gitlab_fake.base, "glpat-wrongTokenxxxxxxxxxxxxxx").pull_status(PROJECT, 1)
    assert "glpat" not in str(err.value)
    with pytest.raises(GitHostError, match="HTTP 404"):
        GitLabHost(gitlab_fake.base, TOKEN).pull_status("other/project", 1)
    with pytest.raises(GitHostError, match="token is empty"):
        GitLabHost(gitlab_fake.base, "")


def test_gitlab_token_goes_only_to_its_own_host() -> None:
    assert may_send_token("https://gitlab.example.com/acme/shop.git", "https://gitlab.example.com")
    assert not may_send_token("https://evil.example/acme/shop.git", "https://gitlab.example.com")
    assert not may_send_token(
        "http://gitlab.example.com/acme/shop.git", "https://gitlab.example.com"
    )
    assert not may_send_token("https://github.com/acme/shop.git", "https://gitlab.example.com")
