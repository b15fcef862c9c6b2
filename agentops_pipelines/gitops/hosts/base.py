"""The Git host seam: publish a generated change as branch + commit + pull request.

GitHub (PyGithub) implements it first; the interface is small enough for GitLab.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field


class FileChange(BaseModel):
    path: str
    content: str | None = Field(description="new UTF-8 content; None deletes the file")


class ChangeRequest(BaseModel):
    repo: str = Field(description="owner/name")
    spec_id: str
    task_id: str
    title: str
    files: list[FileChange]
    base: str | None = Field(default=None, description="target branch; the default branch if None")
    commit_message: str | None = None
    summary: str = ""
    requirements: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)


class PublishResult(BaseModel):
    branch: str
    commit_sha: str | None = Field(description="None when the branch already had these files")
    pr_number: int
    pr_url: str
    created_pr: bool


class GitHostError(RuntimeError):
    """The host refused an operation; the message says which and never carries credentials."""


class PullInfo(BaseModel):
    number: int
    url: str
    state: str = "open"
    created: bool = False


class GitHost(Protocol):
    def publish(self, change: ChangeRequest) -> PublishResult: ...

    def open_or_update_pull(
        self, repo: str, branch: str, base: str, title: str, body: str
    ) -> PullInfo: ...

    def create_issues(self, repo: str, issues: list[dict[str, object]]) -> list[int]: ...

    def download_junit(self, repo: str, run_id: int, dest: Path) -> list[Path]: ...
