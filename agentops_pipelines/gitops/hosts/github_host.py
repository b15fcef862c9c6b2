"""GitHub implementation of the Git host seam, through PyGithub and the git data API.

Re-running a publish is safe: the branch is reused, an unchanged tree makes no commit, and the
open pull request of the branch is updated instead of a second one being opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TypeVar

import github
import httpx
from github import Auth, Github, GithubException, InputGitTreeElement, UnknownObjectException
from github.Repository import Repository

from agentops_pipelines.archives import ZipLimits, ZipRejected, read_members
from agentops_pipelines.gitops.changes.branch_naming import DEFAULT_BRANCH_TEMPLATE, branch_name
from agentops_pipelines.gitops.changes.path_guard import DEFAULT_PROTECTED_PATHS, check_paths
from agentops_pipelines.gitops.hosts.base import (
    ChangeRequest,
    GitHostError,
    PublishResult,
    PullInfo,
)
from agentops_pipelines.gitops.hosts.pr_body import DEFAULT_PR_TEMPLATE, render_pr_body
from agentops_pipelines.qa.quarantine import quarantine

log = logging.getLogger(__name__)
FILE_MODE = "100644"
T = TypeVar("T")
MAX_ARTIFACT_BYTES = 50 * 1024 * 1024
"""A zipped artifact larger than this is not downloaded (JUnit reports zip to far less)."""
ARTIFACT_LIMITS = ZipLimits(
    max_entries=5_000,
    max_entry_bytes=64 * 1024 * 1024,
    max_total_bytes=256 * 1024 * 1024,
    max_ratio=200.0,
)
"""Only the *.xml members count and are inflated; other files in an artifact are skipped."""


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
        self._token = token
        self._timeout = timeout
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
        pull = self._pull(repo, branch, base, change.title, body)
        return PublishResult(
            branch=branch,
            commit_sha=sha,
            pr_number=pull.number,
            pr_url=pull.url,
            created_pr=pull.created,
        )

    def _pull(self, repo: Repository, branch: str, base: str, title: str, body: str) -> PullInfo:
        """The open PR of the branch is edited; only a branch without one gets a new PR."""
        owner = repo.full_name.split("/")[0]
        existing = list(repo.get_pulls(state="open", head=f"{owner}:{branch}", base=base))
        if existing:
            pr = existing[0]
            pr.edit(title=title, body=body)
            return PullInfo(number=pr.number, url=pr.html_url, state=pr.state, created=False)
        pr = repo.create_pull(base=base, head=branch, title=title, body=body)
        log.info("opened pull request #%s for %s in %s", pr.number, branch, repo.full_name)
        return PullInfo(number=pr.number, url=pr.html_url, state=pr.state, created=True)

    def open_or_update_pull(
        self, repo: str, branch: str, base: str, title: str, body: str
    ) -> PullInfo:
        """For a branch pushed with git: open its PR, or update the one already open."""
        return self._call(repo, branch, lambda r: self._pull(r, branch, base, title, body))

    def create_issues(self, repo: str, issues: list[dict[str, object]]) -> list[int]:
        """One issue per payload; a title already present (open or closed) is not duplicated."""

        def run(r: Repository) -> list[int]:
            known = {i.title: i.number for i in r.get_issues(state="all", labels=["agentops"])}
            numbers = []
            for payload in issues:
                title = str(payload["title"])
                if title not in known:
                    labels = [str(x) for x in payload.get("labels", [])]  # type: ignore[attr-defined]
                    issue = r.create_issue(title=title, body=str(payload["body"]), labels=labels)
                    known[title] = issue.number
                numbers.append(known[title])
            return numbers

        return self._call(repo, "issues", run)

    def download_junit(self, repo: str, run_id: int, dest: Path) -> list[Path]:
        """JUnit XML files from a workflow run's artifacts (zip archives), written under dest."""

        def run(r: Repository) -> list[Path]:
            written: list[Path] = []
            for artifact in r.get_workflow_run(run_id).get_artifacts():
                if artifact.expired:
                    continue
                label = f"run-{run_id}-{artifact.id}-{artifact.name}"
                if (artifact.size_in_bytes or 0) > MAX_ARTIFACT_BYTES:
                    _refuse(
                        dest,
                        label,
                        f"{artifact.size_in_bytes} bytes zipped, over the "
                        f"{MAX_ARTIFACT_BYTES} byte limit; upload only the JUnit XML",
                    )
                    continue
                payload = self._download(artifact.archive_download_url)
                try:
                    written += _extract_xml(payload, dest)
                except ZipRejected as err:
                    _refuse(dest, label, *err.problems, payload=payload)
            return written

        return self._call(repo, f"workflow run {run_id}", run)

    def _download(self, url: str) -> bytes:
        """GitHub answers with a redirect to short-lived storage that must not get the token."""
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/vnd.github+json",
        }
        with httpx.Client(timeout=self._timeout, follow_redirects=False) as client:
            response = client.get(url, headers=headers)
            if response.is_redirect:
                response = client.get(response.headers["location"])
            if response.status_code != 200:
                raise GitHostError(
                    f"artifact download failed with HTTP {response.status_code}; check the "
                    "token's Actions: read permission"
                )
            if len(response.content) > MAX_ARTIFACT_BYTES:
                raise GitHostError(f"artifact larger than {MAX_ARTIFACT_BYTES} bytes; not read")
            return response.content

    def _call(self, repo: str, what: str, action: Callable[[Repository], T]) -> T:
        try:
            return action(self._client.get_repo(repo))
        except GithubException as err:
            raise GitHostError(
                f"GitHub refused an operation on {repo} ({what}):"
                f" HTTP {err.status} {_message(err)}; check the token's repository permissions"
            ) from None


def _extract_xml(archive: bytes, dest: Path) -> list[Path]:
    """Only *.xml members, read within ARTIFACT_LIMITS and flattened to their base names, so an
    archive can neither fill the disk nor write elsewhere."""
    members = read_members(
        archive, ARTIFACT_LIMITS, wanted=lambda i: PurePosixPath(i.filename).name.endswith(".xml")
    )
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for member, data in members.items():
        target = dest / PurePosixPath(member).name
        target.write_bytes(data)
        written.append(target)
    return written


def _refuse(dest: Path, label: str, *problems: str, payload: bytes | None = None) -> None:
    """Quarantine with the reason and move on: one bad artifact never blocks the CI sensor."""
    record = quarantine(dest, label, list(problems), payload)
    log.warning("CI artifact %s quarantined (%s): %s", label, record, "; ".join(problems))


def _message(err: github.GithubException) -> str:
    """Only the host's message field: the raw error data is not ours to forward wholesale."""
    data = err.data if isinstance(err.data, dict) else {}
    return str(data.get("message", "")) or "no message"
