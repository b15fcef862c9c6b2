"""GitLab implementation of the Git host seam (`gitops.githost.GitHost`), through python-gitlab.

A change becomes a branch, one commit (the commits API with create/update/delete actions) and
one merge request, reused on a re-run like the GitHub host does. Merge request status and
comments (notes) are read and written here too. The token goes only to the configured GitLab
URL: python-gitlab is given that one URL, and `may_send_token` answers the same for git remotes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import gitlab
from gitlab.exceptions import GitlabError, GitlabGetError
from gitlab.v4.objects import Project, ProjectMergeRequest
from pydantic import BaseModel

from agentops_pipelines.gitops.changes.branch_naming import DEFAULT_BRANCH_TEMPLATE, branch_name
from agentops_pipelines.gitops.changes.path_guard import DEFAULT_PROTECTED_PATHS, check_paths
from agentops_pipelines.gitops.hosts.base import (
    ChangeRequest,
    GitHostError,
    PublishResult,
    PullInfo,
)
from agentops_pipelines.gitops.hosts.pr_body import DEFAULT_PR_TEMPLATE, render_pr_body

log = logging.getLogger(__name__)
T = TypeVar("T")
_STATES = {"opened": "open", "locked": "open", "merged": "merged", "closed": "closed"}


class MergeRequestComment(BaseModel):
    id: int
    author: str
    body: str


def may_send_token(remote_url: str, gitlab_url: str) -> bool:
    """Only https to the GitLab host itself ever sees the GitLab token."""
    remote, own = urlsplit(remote_url.strip()), urlsplit(gitlab_url.strip())
    host = (remote.hostname or "").lower()
    return remote.scheme == "https" and bool(host) and host == (own.hostname or "").lower()


class GitLabHost:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        oauth: bool = False,
        branch_template: str = DEFAULT_BRANCH_TEMPLATE,
        protected_paths: Sequence[str] = DEFAULT_PROTECTED_PATHS,
        pr_template: str = DEFAULT_PR_TEMPLATE,
        timeout: int = 30,
    ) -> None:
        """`oauth`: the token is an OAuth access token (Bearer), else a personal/project token."""
        if not token:
            raise GitHostError("GitLab token is empty: set the token of the account that opens MRs")
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise GitHostError(
                f"GitLab URL {url!r} must be an http(s) URL, e.g. https://gitlab.com"
            )
        credential: dict[str, Any] = {"oauth_token": token} if oauth else {"private_token": token}
        self._client = gitlab.Gitlab(url.rstrip("/"), timeout=timeout, **credential)
        self._branch_template = branch_template
        self._protected = tuple(protected_paths)
        self._pr_template = pr_template

    def _call(self, repo: str, what: str, action: Callable[[Project], T]) -> T:
        try:
            return action(self._client.projects.get(repo, lazy=True))
        except GitlabError as err:
            code = err.response_code or "no answer"
            raise GitHostError(
                f"GitLab refused {what} on {repo} (HTTP {code}: {err.error_message}); check "
                "that the token may write to the project"
            ) from None

    def publish(self, change: ChangeRequest) -> PublishResult:
        paths = check_paths([f.path for f in change.files], self._protected)
        branch = branch_name(change.spec_id, change.task_id, change.title, self._branch_template)

        def run(project: Project) -> PublishResult:
            base = change.base or self._client.projects.get(change.repo).default_branch or "main"
            try:
                project.branches.get(branch)
            except GitlabGetError:
                project.branches.create({"branch": branch, "ref": base})
            actions = []
            for file, path in zip(change.files, paths, strict=True):
                exists = self._exists(project, path, branch)
                if file.content is None:
                    if exists:
                        actions.append({"action": "delete", "file_path": path})
                    continue
                if exists and self._content(project, path, branch) == file.content:
                    continue
                kind = "update" if exists else "create"
                actions.append({"action": kind, "file_path": path, "content": file.content})
            sha = None
            if actions:
                message = change.commit_message or change.title
                commit = project.commits.create(
                    {"branch": branch, "commit_message": message, "actions": actions}
                )
                sha = str(commit.id)
            pull = self._merge_request(
                project, branch, base, change.title, render_pr_body(change, self._pr_template)
            )
            return PublishResult(
                branch=branch, commit_sha=sha, pr_number=pull.number, pr_url=pull.url,
                created_pr=pull.created,
            )  # fmt: skip

        return self._call(change.repo, f"publishing branch {branch}", run)

    @staticmethod
    def _exists(project: Project, path: str, ref: str) -> bool:
        try:
            project.files.get(file_path=path, ref=ref)
        except GitlabGetError:
            return False
        return True

    @staticmethod
    def _content(project: Project, path: str, ref: str) -> str:
        return project.files.get(file_path=path, ref=ref).decode().decode("utf-8")

    def _merge_request(
        self, project: Project, branch: str, base: str, title: str, body: str
    ) -> PullInfo:
        found = project.mergerequests.list(source_branch=branch, state="opened", get_all=False)
        if found:
            mr = project.mergerequests.get(found[0].iid)
            mr.title, mr.description = title, body
            mr.save()
            return PullInfo(number=mr.iid, url=mr.web_url, state="open", created=False)
        mr = project.mergerequests.create(
            {"source_branch": branch, "target_branch": base, "title": title, "description": body}
        )
        return PullInfo(number=mr.iid, url=mr.web_url, state="open", created=True)

    def open_or_update_pull(
        self, repo: str, branch: str, base: str, title: str, body: str
    ) -> PullInfo:
        return self._call(
            repo, f"the merge request of {branch}",
            lambda p: self._merge_request(p, branch, base, title, body),
        )  # fmt: skip

    def pull_status(self, repo: str, number: int) -> PullInfo:
        def run(project: Project) -> PullInfo:
            mr: ProjectMergeRequest = project.mergerequests.get(number)
            state = _STATES.get(str(mr.state), str(mr.state))
            return PullInfo(number=mr.iid, url=mr.web_url, state=state)

        return self._call(repo, f"merge request !{number}", run)

    def comment(self, repo: str, number: int, body: str) -> int:
        return self._call(
            repo, f"a comment on merge request !{number}",
            lambda p: int(p.mergerequests.get(number, lazy=True).notes.create({"body": body}).id),
        )  # fmt: skip

    def comments(self, repo: str, number: int) -> list[MergeRequestComment]:
        def run(project: Project) -> list[MergeRequestComment]:
            notes = project.mergerequests.get(number, lazy=True).notes.list(get_all=True)
            return [
                MergeRequestComment(id=n.id, author=n.author["username"], body=n.body)
                for n in notes
            ]

        return self._call(repo, f"the comments of merge request !{number}", run)

    def create_issues(self, repo: str, issues: list[dict[str, object]]) -> list[int]:
        def run(project: Project) -> list[int]:
            made = []
            for issue in issues:
                labels = issue.get("labels") or []
                body = {
                    "title": str(issue["title"]),
                    "description": str(issue.get("body", "")),
                    "labels": ",".join(str(x) for x in labels)
                    if isinstance(labels, list)
                    else str(labels),
                }
                made.append(int(project.issues.create(body).iid))
            return made

        return self._call(repo, "creating issues", run)

    def download_junit(self, repo: str, run_id: int, dest: Path) -> list[Path]:
        raise GitHostError(
            "JUnit reports from GitLab pipelines are not read yet; upload them as a CI result "
            "file instead (ci_results_sensor)"
        )
