"""Publishing through real PyGithub HTTP to the local GitHub: one live review and one check per
head; a re-run changes nothing, a push collapses the old review and reviews the new head."""

from __future__ import annotations

import pytest
from review_fake_github import TOKEN

from agentops_pipelines.gitops.hosts.github_host import GitHubHost
from agentops_pipelines.review.github_review import GitHubReviewHost
from agentops_pipelines.review.models import Finding, ReviewReport, TouchedRequirement
from agentops_pipelines.review.publish import publish_review
from agentops_pipelines.review.render import CHECK_NAME, parse_marker

REPO = "acme/shop"
HEAD1, HEAD2 = "a" * 40, "b" * 40


def _report(
    head: str, *, must: bool, position: int = 3, message: str = "assert loosened"
) -> ReviewReport:
    return ReviewReport(
        repo=REPO,
        number=1,
        base_sha="0" * 40,
        head_sha=head,
        files_changed=["tests/test_a.py"],
        requirements=[TouchedRequirement(id="R1", spec_id="s/spec.md", must=True)],
        findings=[
            Finding(
                kind="assert_weakened",
                severity="error",
                message=message,
                file="tests/test_a.py",
                line=12,
                position=position,
                requirement_id="R1",
            )
        ],
        must_regressed=["R1"] if must else [],
    )


@pytest.fixture
def host(review_server):
    base, fake = review_server
    fake.add_pull(1, HEAD1, {"tests/test_a.py": 10})
    return GitHubReviewHost(GitHubHost(TOKEN, base_url=base, seconds_between_writes=0)), fake


def test_review_with_inline_comment_and_check(host) -> None:
    review_host, fake = host
    outcome = publish_review(review_host, _report(HEAD1, must=False), "comment")
    assert outcome.review_action == "created" and outcome.event == "COMMENT"
    (review,) = fake.reviews[1]
    assert review["state"] == "COMMENTED" and parse_marker(review["body"]).head == HEAD1
    (comment,) = fake.comments.values()
    assert comment["position"] == 3 and "R1" in comment["body"]
    (check,) = fake.checks.values()
    assert check["name"] == CHECK_NAME and check["head_sha"] == HEAD1
    assert check["conclusion"] == "neutral" and "R1" in check["output"]["summary"]


def test_rerun_is_a_no_op_and_changed_content_edits_in_place(host) -> None:
    review_host, fake = host
    publish_review(review_host, _report(HEAD1, must=False), "comment")
    calls = len(fake.calls)
    again = publish_review(review_host, _report(HEAD1, must=False), "comment")
    assert again.review_action == "unchanged"
    assert not [c for c in fake.calls[calls:] if c.startswith(("POST", "DELETE"))]
    edited = publish_review(
        review_host, _report(HEAD1, must=False, message="two asserts gone"), "comment"
    )
    assert edited.review_action == "edited" and len(fake.reviews[1]) == 1
    assert "two asserts gone" in next(iter(fake.comments.values()))["body"]
    assert len(fake.checks) == 1


def test_push_collapses_old_review_and_request_changes_on_must(host) -> None:
    review_host, fake = host
    first = publish_review(review_host, _report(HEAD1, must=True), "request_changes")
    assert fake.reviews[1][0]["state"] == "CHANGES_REQUESTED"
    assert fake.checks[first.check_id]["conclusion"] == "failure"
    fake.set_diff(1, HEAD2, {"tests/test_a.py": 6})
    second = publish_review(review_host, _report(HEAD2, must=True, position=5), "request_changes")
    assert second.superseded == [first.review_id]
    old, new = fake.reviews[1]
    assert old["state"] == "DISMISSED" and "Superseded" in old["body"]
    assert new["state"] == "CHANGES_REQUESTED" and len(fake.live_reviews(1)) == 1
    assert [c["pull_request_review_id"] for c in fake.comments.values()] == [new["id"]]
    assert {c["head_sha"] for c in fake.checks.values()} == {HEAD1, HEAD2}


def test_off_publishes_nothing_and_bad_position_is_a_clear_error(host) -> None:
    review_host, fake = host
    assert publish_review(review_host, _report(HEAD1, must=True), "off").review_id is None
    assert not fake.reviews
    with pytest.raises(Exception, match="position is not part of the diff"):
        publish_review(review_host, _report(HEAD1, must=False, position=99), "comment")
