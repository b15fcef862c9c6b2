"""What publishing a review needs from a Git host: reviews, their comments, check runs.

GitHub implements it in `review.github_review`; the operations are the ones GitHub's REST API
allows on a submitted review (edit its body, dismiss it, edit or delete its comments), so the
publisher's idempotency rules hold on any host that offers the same.
"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel

from agentops_pipelines.review.render import InlineComment

ReviewEvent = Literal["COMMENT", "REQUEST_CHANGES"]


class HostReview(BaseModel):
    id: int
    body: str
    state: str
    commit_id: str | None = None
    url: str | None = None


class HostComment(BaseModel):
    id: int
    path: str
    position: int | None
    body: str


class HostCheck(BaseModel):
    id: int
    name: str
    head_sha: str
    status: str
    conclusion: str | None = None
    summary: str = ""
    external_id: str | None = None


class CheckOutput(BaseModel):
    title: str
    summary: str
    text: str = ""


class ReviewHost(Protocol):
    def list_reviews(self, repo: str, number: int) -> list[HostReview]: ...

    def create_review(
        self,
        repo: str,
        number: int,
        head_sha: str,
        body: str,
        event: ReviewEvent,
        comments: list[InlineComment],
    ) -> HostReview: ...

    def edit_review(self, repo: str, number: int, review_id: int, body: str) -> None: ...

    def dismiss_review(self, repo: str, number: int, review_id: int, message: str) -> None: ...

    def review_comments(self, repo: str, number: int, review_id: int) -> list[HostComment]: ...

    def edit_comment(self, repo: str, number: int, comment_id: int, body: str) -> None: ...

    def delete_comment(self, repo: str, number: int, comment_id: int) -> None: ...

    def find_check(self, repo: str, head_sha: str, name: str) -> HostCheck | None: ...

    def upsert_check(
        self,
        repo: str,
        head_sha: str,
        name: str,
        external_id: str,
        conclusion: str,
        output: CheckOutput,
        check_id: int | None,
    ) -> HostCheck: ...
