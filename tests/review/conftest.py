"""Fixtures of the review tests: the local GitHub with reviews/check runs, and seeded repos."""

from review_fake_github import review_server  # noqa: F401  (fixture)
