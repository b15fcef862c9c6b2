"""GitLab through the same host seam as GitHub: python-gitlab over HTTP against a local GitLab
REST stand-in. Publish (branch, commit, merge request, reused on re-run), MR status, comments,
issues; the token only ever goes to the GitLab URL it was given."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from connect_fake_gitlab import (
    CLIENT_ID,
    CLIENT_SECRET,
    PROJECT,
    TOKEN,
    FakeGitLab,
    running_gitlab,
)

from agentops_pipelines.connect.gitlab_host import GitLabHost, may_send_token
from agentops_pipelines.gitops.hosts.base import ChangeRequest, FileChange, GitHost, GitHostError


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


def test_gitlab_oauth_code_flow_with_pkce_then_the_host_acts_with_that_token(
    gitlab_fake: FakeGitLab,
) -> None:
    import httpx

    from agentops_pipelines.connect.github_oauth import OAuthError, challenge_of, new_verifier
    from agentops_pipelines.connect.gitlab_oauth import GitLabOAuth, load_gitlab_oauth_config

    config = load_gitlab_oauth_config({
        "AGENTOPS_GITLAB_URL": gitlab_fake.base, "AGENTOPS_GITLAB_CLIENT_ID": CLIENT_ID,
        "AGENTOPS_GITLAB_CLIENT_SECRET": CLIENT_SECRET,
    })  # fmt: skip
    assert config is not None
    oauth, verifier = GitLabOAuth(config), new_verifier()
    url = oauth.authorize_url("state-1", verifier)
    assert url.startswith(f"{gitlab_fake.base}/oauth/authorize?")
    assert challenge_of(verifier) in url and verifier not in url
    back = httpx.URL(httpx.get(url).headers["location"]).params
    assert back["state"] == "state-1"
    with pytest.raises(OAuthError, match="invalid_grant"):
        oauth.exchange(back["code"], new_verifier())  # wrong verifier: the code is spent
    back = httpx.URL(httpx.get(oauth.authorize_url("state-2", verifier)).headers["location"]).params
    token = oauth.exchange(back["code"], verifier)
    assert oauth.user(token).subject == "gitlab:ada"
    pull = oauth.host(token).open_or_update_pull(PROJECT, "feature/y", "main", "T", "B")
    assert pull.created
    assert gitlab_fake.tokens_seen[-1] == f"Bearer {token.get_secret_value()}"
