"""GitHub side of the review seam (`review.host.ReviewHost`) through PyGithub: PR reviews with
inline comments at diff positions, their edits and dismissals, and check runs.

Check runs need a GitHub App installation token on github.com (a personal token may not create
them); the error then says so instead of failing silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from github import GithubException
from github.PullRequest import ReviewComment
from github.Repository import Repository

from agentops_pipelines.gitops.hosts.base import GitHostError
from agentops_pipelines.gitops.hosts.github_host import GitHubHost, _message
from agentops_pipelines.review.host import (
    CheckOutput,
    HostCheck,
    HostComment,
    HostReview,
    ReviewEvent,
)
from agentops_pipelines.review.render import InlineComment

T = TypeVar("T")


class GitHubReviewHost:
    """Review operations on the same authenticated client as `GitHubHost`."""

    def __init__(self, host: GitHubHost) -> None:
        self._client = host._client

    def _do(self, repo: str, what: str, action: Callable[[Repository], T]) -> T:
        try:
            return action(self._client.get_repo(repo))
        except GithubException as err:
            hint = (
                "a GitHub App token with checks: write"
                if "check" in what
                else "pull requests: write"
            )
            raise GitHostError(
                f"GitHub refused {what} on {repo}: HTTP {err.status} {_message(err)}; "
                f"the token needs {hint}"
            ) from None

    def list_reviews(self, repo: str, number: int) -> list[HostReview]:
        def run(r: Repository) -> list[HostReview]:
            return [
                HostReview(
                    id=x.id, body=x.body or "", state=x.state, commit_id=x.commit_id, url=x.html_url
                )
                for x in r.get_pull(number).get_reviews()
            ]

        return self._do(repo, f"listing reviews of #{number}", run)

    def create_review(
        self,
        repo: str,
        number: int,
        head_sha: str,
        body: str,
        event: ReviewEvent,
        comments: list[InlineComment],
    ) -> HostReview:
        def run(r: Repository) -> HostReview:
            pull = r.get_pull(number)
            payload: list[ReviewComment] = [
                {"path": c.path, "position": c.position, "body": c.body}  # type: ignore[typeddict-item]
                for c in comments
            ]
            review = pull.create_review(
                commit=r.get_commit(head_sha), body=body, event=event, comments=payload
            )
            return HostReview(
                id=review.id, body=review.body or "", state=review.state, commit_id=head_sha
            )

        return self._do(repo, f"creating a review on #{number}", run)

    def edit_review(self, repo: str, number: int, review_id: int, body: str) -> None:
        self._do(
            repo,
            f"editing review {review_id}",
            lambda r: r.get_pull(number).get_review(review_id).edit(body),
        )

    def dismiss_review(self, repo: str, number: int, review_id: int, message: str) -> None:
        self._do(
            repo,
            f"dismissing review {review_id}",
            lambda r: r.get_pull(number).get_review(review_id).dismiss(message),
        )

    def review_comments(self, repo: str, number: int, review_id: int) -> list[HostComment]:
        def run(r: Repository) -> list[HostComment]:
            return [
                HostComment(id=c.id, path=c.path, position=c.position, body=c.body)
                for c in r.get_pull(number).get_single_review_comments(review_id)
            ]

        return self._do(repo, f"listing comments of review {review_id}", run)

    def edit_comment(self, repo: str, number: int, comment_id: int, body: str) -> None:
        self._do(
            repo,
            f"editing comment {comment_id}",
            lambda r: r.get_pull(number).get_review_comment(comment_id).edit(body),
        )

    def delete_comment(self, repo: str, number: int, comment_id: int) -> None:
        self._do(
            repo,
            f"deleting comment {comment_id}",
            lambda r: r.get_pull(number).get_review_comment(comment_id).delete(),
        )

    def find_check(self, repo: str, head_sha: str, name: str) -> HostCheck | None:
        def run(r: Repository) -> HostCheck | None:
            for check in r.get_commit(head_sha).get_check_runs(check_name=name):
                return _check(check)
            return None

        return self._do(repo, f"listing check runs of {head_sha[:12]}", run)

    def upsert_check(
        self,
        repo: str,
        head_sha: str,
        name: str,
        external_id: str,
        conclusion: str,
        output: CheckOutput,
        check_id: int | None,
    ) -> HostCheck:
        data = output.model_dump()

        def run(r: Repository) -> HostCheck:
            if check_id is None:
                check = r.create_check_run(
                    name=name,
                    head_sha=head_sha,
                    external_id=external_id,
                    status="completed",
                    conclusion=conclusion,
                    output=data,
                )
            else:
                check = r.get_check_run(check_id)
                check.edit(
                    external_id=external_id, status="completed", conclusion=conclusion, output=data
                )
            return _check(check)

        return self._do(repo, f"publishing the check run of {head_sha[:12]}", run)


def _check(check) -> HostCheck:
    output = check.output
    return HostCheck(
        id=check.id,
        name=check.name,
        head_sha=check.head_sha,
        status=check.status,
        conclusion=check.conclusion,
        summary=(output.summary or "") if output else "",
        external_id=check.external_id,
    )
