"""A fake GitHub (App + OAuth wire format) on 127.0.0.1 and the env that points AgentOps at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from connect_fake_github import APP_ID, CLIENT_ID, CLIENT_SECRET, Running, running_fake


@pytest.fixture
def github_fake() -> Iterator[Running]:
    yield from running_fake()


@pytest.fixture
def github_env(
    github_fake: Running, agentops_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Running:
    key_file = agentops_home / "app.pem"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(github_fake.fake.private_key)
    monkeypatch.setenv("AGENTOPS_GITHUB_API_URL", github_fake.url)
    monkeypatch.setenv("AGENTOPS_GITHUB_APP_ID", APP_ID)
    monkeypatch.setenv("AGENTOPS_GITHUB_APP_SLUG", "agentops-test")
    monkeypatch.setenv("AGENTOPS_GITHUB_APP_PRIVATE_KEY_FILE", str(key_file))
    monkeypatch.setenv("AGENTOPS_GITHUB_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("AGENTOPS_GITHUB_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("AGENTOPS_GITHUB_REDIRECT_URI", "http://127.0.0.1:8501/")
    monkeypatch.delenv("AGENTOPS_GITHUB_TOKEN", raising=False)
    return github_fake
