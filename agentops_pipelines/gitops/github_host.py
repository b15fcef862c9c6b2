"""GitHub implementation of the Git host seam, through PyGithub and the git data API.

Re-running a publish is safe: the branch is reused, an unchanged tree makes no commit, and the
open pull request of the branch is updated instead of a second one being opened.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import github
from github import Auth, Github, GithubException, InputGitTreeElement, UnknownObjectException
from github.Repository import Repository

from agentops_pipelines.gitops.branch_naming import DEFAULT_BRANCH_TEMPLATE, branch_name
from agentops_pipelines.gitops.githost import ChangeRequest, GitHostError, PublishResult
from agentops_pipelines.gitops.path_guard import DEFAULT_PROTECTED_PATHS, check_paths
from agentops_pipelines.gitops.pr_body import DEFAULT_PR_TEMPLATE, render_pr_body

log = logging.getLogger(__name__)
FILE_MODE = "100644"


class GitHubHost:
    def __init__(
        self,
        token: str,
        base_url: str = "https://api.github.com",
        *,
        branch_template: str = DEFAULT_BRANCH_TEMPLATE,
        protected_paths: Sequence[str] = DEFAULT_PROTECTED_PATHS,
        pr_template: str = DEFAULT_PR_TEMPLATE,
        timeout: int = 30,
        seconds_between_writes: float = 1.0,
    ) -> None:
        """`seconds_between_writes` spaces mutating calls as GitHub asks (secondary rate
        limits); a local stand-in server can use 0."""
        if not token:
            raise GitHostError("GitHub token is empty: set the token of the account that opens PRs")
        self._client = Github(
            base_url=base_url,
            auth=Auth.Token(token),
            timeout=timeout,
            seconds_between_requests=None,
            seconds_between_writes=seconds_between_writes or None,
        )
        self._branch_template = branch_template
        self._protected = tuple(protected_paths)
        self._pr_template = pr_template

    def publish(self, change: ChangeRequest) -> PublishResult:
        paths = check_paths([f.path for f in change.files], self._protected)
        branch = branch_name(change.spec_id, change.task_id, change.title, self._branch_template)
        try:
            repo = self._client.get_repo(change.repo)
            base = change.base or repo.default_branch
            head_sha = self._ensure_branch(repo, branch, base)
            commit_sha = self._commit(repo, branch, head_sha, change, paths)
            return self._open_or_update_pr(repo, branch, base, change, commit_sha)
        except GithubException as err:
            raise GitHostError(
                f"GitHub refused an operation on {change.repo} (branch {branch}):"
                f" HTTP {err.status} {_message(err)}; check the token's repository permissions"
            ) from None

    def _ensure_branch(self, repo: Repository, branch: str, base: str) -> str:
        """Reuse the branch of an earlier run so re-running adds to it instead of failing."""
        try:
            return repo.get_git_ref(f"heads/{branch}").object.sha
        except UnknownObjectException:
            base_sha = repo.get_git_ref(f"heads/{base}").object.sha
            repo.create_git_ref(f"refs/heads/{branch}", base_sha)
            log.info("created branch %s from %s in %s", branch, base, repo.full_name)
            return base_sha

    def _commit(
        self, repo: Repository, branch: str, head_sha: str, change: ChangeRequest, paths: list[str]
    ) -> str | None:
        parent = repo.get_git_commit(head_sha)
        elements = []
        for path, file in zip(paths, change.files, strict=True):
            if file.content is None:
                elements.append(InputGitTreeElement(path, FILE_MODE, "blob", sha=None))
            else:
                blob = repo.create_git_blob(file.content, "utf-8")
                elements.append(InputGitTreeElement(path, FILE_MODE, "blob", sha=blob.sha))
        tree = repo.create_git_tree(elements, base_tree=parent.tree)
        if tree.sha == parent.tree.sha:
            return None
        message = change.commit_message or f"{change.task_id}: {change.title}"
        commit = repo.create_git_commit(message, tree, [parent])
        repo.get_git_ref(f"heads/{branch}").edit(commit.sha)
        return commit.sha

    def _open_or_update_pr(
        self, repo: Repository, branch: str, base: str, change: ChangeRequest, sha: str | None
    ) -> PublishResult:
        body = render_pr_body(change, self._pr_template)
        owner = repo.full_name.split("/")[0]
        existing = list(repo.get_pulls(state="open", head=f"{owner}:{branch}", base=base))
        if existing:
            pr = existing[0]
            pr.edit(title=change.title, body=body)
            created = False
        else:
            pr = repo.create_pull(base=base, head=branch, title=change.title, body=body)
            created = True
        return PublishResult(
            branch=branch,
            commit_sha=sha,
            pr_number=pr.number,
            pr_url=pr.html_url,
            created_pr=created,
        )


def _message(err: github.GithubException) -> str:
    """Only the host's message field: the raw error data is not ours to forward wholesale."""
    data = err.data if isinstance(err.data, dict) else {}
    return str(data.get("message", "")) or "no message"
