"""GitHubHost against a local fake of GitHub's REST API, driven through the real PyGithub."""

from __future__ import annotations

import logging

import pytest
from gitops_fake_github import REPO, TOKEN, FakeGitHub

from agentops_pipelines.gitops.changes.branch_naming import branch_name
from agentops_pipelines.gitops.changes.path_guard import ProtectedPathError, check_paths
from agentops_pipelines.gitops.hosts.base import ChangeRequest, FileChange, GitHostError
from agentops_pipelines.gitops.hosts.github_host import GitHubHost


@pytest.fixture
def host(server, fake) -> GitHubHost:
    return GitHubHost(TOKEN, base_url=server[0], seconds_between_writes=0)


def _change(**overrides) -> ChangeRequest:
    values = dict(
        repo=REPO,
        spec_id="billing-invoices/spec.md",
        task_id="T-003",
        title="Add invoice PDF export",
        files=[
            FileChange(path="src/invoices/pdf.py", content="def render():\n    return b''\n"),
            FileChange(path="tests/test_pdf.py", content="def test_render():\n    pass\n"),
        ],
        summary="Implements PDF export.",
        requirements=["REQ-BILL-004"],
        evidence=["tests/test_pdf.py"],
    )
    return ChangeRequest(**(values | overrides))


def test_publish_creates_branch_commit_and_pr(host: GitHubHost, fake: FakeGitHub) -> None:
    result = host.publish(_change())
    assert result.branch == "agentops/billing-invoices-spec/t-003-add-invoice-pdf-export"
    assert result.created_pr and result.pr_number == 1
    assert result.pr_url == f"https://github.test/{REPO}/pull/1"
    files = fake.files_at(result.branch)
    assert files["src/invoices/pdf.py"].startswith("def render")
    assert files["README.md"] == "# shop\n"
    assert fake.files_at("main") == {"README.md": "# shop\n"}
    [pr] = fake.pulls
    assert pr["base"]["ref"] == "main" and pr["head"]["ref"] == result.branch
    assert (
        "REQ-BILL-004" in pr["body"]
        and "<!-- agentops:billing-invoices/spec.md:T-003 -->" in pr["body"]
    )


def test_rerun_updates_the_same_pr(host: GitHubHost, fake: FakeGitHub) -> None:
    first = host.publish(_change())
    same = host.publish(_change())
    assert same.commit_sha is None and not same.created_pr and same.pr_number == first.pr_number
    changed = _change(
        title="Add invoice PDF export",
        files=[
            FileChange(path="src/invoices/pdf.py", content="def render():\n    return b'%PDF'\n"),
            FileChange(path="tests/test_pdf.py", content=None),
        ],
        summary="Second attempt.",
    )
    second = host.publish(changed)
    assert second.commit_sha and second.commit_sha != first.commit_sha
    assert len(fake.pulls) == 1 and fake.pulls[0]["body"].startswith("Second attempt.")
    files = fake.files_at(first.branch)
    assert "%PDF" in files["src/invoices/pdf.py"] and "tests/test_pdf.py" not in files
    assert fake.commits[second.commit_sha]["parents"] == [first.commit_sha]


def test_protected_paths_are_refused_before_any_call(host: GitHubHost, fake: FakeGitHub) -> None:
    change = _change(files=[FileChange(path="src/../.github/workflows/ci.yml", content="on: push")])
    with pytest.raises(ProtectedPathError, match=r"\.github/workflows/ci\.yml.*protected_paths"):
        host.publish(change)
    assert fake.calls == [] and fake.pulls == []


def test_guard_is_configurable_and_rejects_escapes() -> None:
    assert check_paths(["./src/a.py"], protected=["infra/"]) == ["src/a.py"]
    assert check_paths([".github/workflows/ci.yml"], protected=[]) == [".github/workflows/ci.yml"]
    with pytest.raises(ProtectedPathError, match="infra/main.tf"):
        check_paths(["infra/main.tf"], protected=["infra/"])
    for bad in ("../secrets.txt", "/etc/passwd", "a\\b.py", ""):
        with pytest.raises(ProtectedPathError):
            check_paths([bad])


def test_branch_names_are_valid_refs() -> None:
    assert (
        branch_name("a/b/../c spec.md", "T 1", "Fix: the *thing*?")
        == "agentops/a-b-.-c-spec/t-1-fix-the-thing"
    )
    assert branch_name("x.lock", "t", "y") == "agentops/x-lock/t-y"
    assert branch_name("s.md", "T1", "t", template="feature/{task}") == "feature/t1"
    with pytest.raises(ValueError, match="task_id"):
        branch_name("s.md", "***", "title")
    with pytest.raises(ValueError, match="unknown field"):
        branch_name("s.md", "T1", "t", template="{nope}")


def test_bad_token_gives_actionable_error_without_token(server, fake) -> None:
    wrong = "ghp_wrongTokenValue987654321"
    with pytest.raises(GitHostError, match="HTTP 401 Bad credentials") as info:
        GitHubHost(wrong, base_url=server[0], seconds_between_writes=0).publish(_change())
    assert wrong not in str(info.value)


def test_token_never_logged(host: GitHubHost, fake, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    host.publish(_change())
    host.publish(_change(summary="again"))
    assert any("created branch" in r.getMessage() for r in caplog.records)
    assert TOKEN not in caplog.text
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
