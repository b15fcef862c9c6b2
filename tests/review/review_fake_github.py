"""The local GitHub stand-in of tests/gitops, plus the review and check-run endpoints.

Reviews follow GitHub's rules: a submitted review's body can be edited (PUT), only
CHANGES_REQUESTED/APPROVED reviews can be dismissed, inline comments are placed at a diff
`position` that must exist in the file's diff, and comments can be edited or deleted.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.gitops.gitops_fake_github import REPO, TOKEN, FakeGitHub, build_app

__all__ = ["REPO", "TOKEN", "ReviewFakeGitHub", "review_server"]


class ReviewFakeGitHub(FakeGitHub):
    def __init__(self) -> None:
        super().__init__()
        self.reviews: dict[int, list[dict]] = {}
        self.comments: dict[int, dict] = {}
        self.checks: dict[int, dict] = {}
        self.diff_positions: dict[tuple[int, str], int] = {}  # (pr, path) -> last position

    def add_pull(self, number: int, head_sha: str, positions: dict[str, int]) -> None:
        """An open PR whose diff has `positions[path]` lines per file (for position checks)."""
        self.pulls.append(
            {
                "id": 1000 + number,
                "number": number,
                "state": "open",
                "title": f"PR {number}",
                "body": "",
                "head": {
                    "ref": f"feature-{number}",
                    "label": f"acme:feature-{number}",
                    "sha": head_sha,
                },
                "base": {"ref": "main", "label": "acme:main"},
            }
        )
        self.set_diff(number, head_sha, positions)

    def set_diff(self, number: int, head_sha: str, positions: dict[str, int]) -> None:
        pr = next(p for p in self.pulls if p["number"] == number)
        pr["head"]["sha"] = head_sha
        for key in [k for k in self.diff_positions if k[0] == number]:
            del self.diff_positions[key]
        for path, last in positions.items():
            self.diff_positions[(number, path)] = last

    def live_reviews(self, number: int) -> list[dict]:
        return [r for r in self.reviews.get(number, []) if "state=live" in r["body"]]


def _review_json(fake: ReviewFakeGitHub, number: int, review: dict) -> dict:
    pr_url = f"{fake.repo_url()}/pulls/{number}"
    return review | {
        "pull_request_url": pr_url,
        "html_url": f"https://github.test/{REPO}/pull/{number}#pullrequestreview-{review['id']}",
        "user": {"login": "agentops-bot"},
    }


def _comment_json(fake: ReviewFakeGitHub, comment: dict) -> dict:
    return comment | {"url": f"{fake.repo_url()}/pulls/comments/{comment['id']}"}


def _check_json(fake: ReviewFakeGitHub, check: dict) -> dict:
    return check | {"url": f"{fake.repo_url()}/check-runs/{check['id']}"}


def _missing() -> JSONResponse:
    return JSONResponse({"message": "Not Found"}, status_code=404)


def build_review_app(fake: ReviewFakeGitHub) -> FastAPI:
    app = build_app(fake)
    prefix = f"/repos/{REPO}"

    @app.get(prefix + "/commits/{sha}")
    def get_commit(sha: str):
        return {"sha": sha, "url": f"{fake.repo_url()}/commits/{sha}"}

    @app.get(prefix + "/pulls/{number}/reviews")
    def list_reviews(number: int):
        return [_review_json(fake, number, r) for r in fake.reviews.get(number, [])]

    @app.post(prefix + "/pulls/{number}/reviews")
    async def create_review(number: int, request: Request):
        data = await request.json()
        pr = next((p for p in fake.pulls if p["number"] == number), None)
        if pr is None:
            return _missing()
        if data.get("commit_id") and data["commit_id"] != pr["head"]["sha"]:
            return JSONResponse({"message": "commit_id is not the PR head"}, status_code=422)
        for item in data.get("comments", []):
            last = fake.diff_positions.get((number, item["path"]))
            if last is None or not 1 <= int(item["position"]) <= last:
                return JSONResponse(
                    {"message": "Unprocessable Entity: position is not part of the diff"},
                    status_code=422,
                )
        event = data.get("event", "COMMENT")
        state = {"COMMENT": "COMMENTED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}.get(event)
        if state is None:
            return JSONResponse({"message": f"event {event} not supported"}, status_code=422)
        review_id = 7000 + sum(len(v) for v in fake.reviews.values()) + 1
        review = {
            "id": review_id,
            "body": data.get("body", ""),
            "state": state,
            "commit_id": pr["head"]["sha"],
        }
        fake.reviews.setdefault(number, []).append(review)
        for item in data.get("comments", []):
            comment_id = 9000 + len(fake.comments) + 1
            fake.comments[comment_id] = {
                "id": comment_id,
                "pull_request_review_id": review_id,
                "path": item["path"],
                "position": int(item["position"]),
                "body": item["body"],
                "commit_id": pr["head"]["sha"],
                "pr": number,
            }
        return _review_json(fake, number, review)

    def _find(number: int, review_id: int) -> dict | None:
        return next((r for r in fake.reviews.get(number, []) if r["id"] == review_id), None)

    @app.get(prefix + "/pulls/{number}/reviews/{review_id}")
    def get_review(number: int, review_id: int):
        review = _find(number, review_id)
        return _review_json(fake, number, review) if review else _missing()

    @app.put(prefix + "/pulls/{number}/reviews/{review_id}")
    async def edit_review(number: int, review_id: int, request: Request):
        review = _find(number, review_id)
        if review is None:
            return _missing()
        review["body"] = (await request.json())["body"]
        return _review_json(fake, number, review)

    @app.put(prefix + "/pulls/{number}/reviews/{review_id}/dismissals")
    async def dismiss(number: int, review_id: int, request: Request):
        review = _find(number, review_id)
        if review is None:
            return _missing()
        if review["state"] not in ("CHANGES_REQUESTED", "APPROVED"):
            return JSONResponse(
                {"message": "Can not dismiss a commented pull request review"}, status_code=422
            )
        review["state"] = "DISMISSED"
        review["dismiss_message"] = (await request.json())["message"]
        return _review_json(fake, number, review)

    @app.get(prefix + "/pulls/{number}/reviews/{review_id}/comments")
    def review_comments(number: int, review_id: int):
        return [
            _comment_json(fake, c)
            for c in fake.comments.values()
            if c["pull_request_review_id"] == review_id
        ]

    @app.get(prefix + "/pulls/comments/{comment_id}")
    def get_comment(comment_id: int):
        comment = fake.comments.get(comment_id)
        return _comment_json(fake, comment) if comment else _missing()

    @app.patch(prefix + "/pulls/comments/{comment_id}")
    async def edit_comment(comment_id: int, request: Request):
        comment = fake.comments.get(comment_id)
        if comment is None:
            return _missing()
        comment["body"] = (await request.json())["body"]
        return _comment_json(fake, comment)

    @app.delete(prefix + "/pulls/comments/{comment_id}", status_code=204)
    def delete_comment(comment_id: int):
        if fake.comments.pop(comment_id, None) is None:
            return _missing()
        return Response(status_code=204)

    @app.post(prefix + "/check-runs", status_code=201)
    async def create_check(request: Request):
        data = await request.json()
        check_id = 4000 + len(fake.checks) + 1
        fake.checks[check_id] = {"id": check_id, **data}
        return _check_json(fake, fake.checks[check_id])

    @app.get(prefix + "/check-runs/{check_id}")
    def get_check(check_id: int):
        check = fake.checks.get(check_id)
        return _check_json(fake, check) if check else _missing()

    @app.patch(prefix + "/check-runs/{check_id}")
    async def edit_check(check_id: int, request: Request):
        check = fake.checks.get(check_id)
        if check is None:
            return _missing()
        check.update(await request.json())
        return _check_json(fake, check)

    @app.get(prefix + "/commits/{sha}/check-runs")
    def list_checks(sha: str, check_name: str | None = None):
        found = [
            _check_json(fake, c)
            for c in fake.checks.values()
            if c["head_sha"] == sha and (check_name is None or c["name"] == check_name)
        ]
        return {"total_count": len(found), "check_runs": found}

    return app


@pytest.fixture
def review_server() -> Iterator[tuple[str, ReviewFakeGitHub]]:
    """A uvicorn on 127.0.0.1 serving a fresh in-memory repository with reviews and checks."""
    fake = ReviewFakeGitHub()
    app = build_review_app(fake)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fake.base = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "fake GitHub did not start"
        time.sleep(0.05)
    yield fake.base, fake
    server.should_exit = True
    thread.join(timeout=10)
