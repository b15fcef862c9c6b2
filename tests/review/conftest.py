"""Fixtures of the review tests: the local GitHub with reviews/check runs, and seeded repos."""

import sys
from pathlib import Path

from review_fake_github import review_server  # noqa: F401  (fixture)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))  # llm_fake_servers
