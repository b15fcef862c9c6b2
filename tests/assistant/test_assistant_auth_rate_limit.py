"""Issue 16: rotating X-AgentOps-User no longer escapes SpecGPT's per-user rate limit."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.api.app import create_app
from agentops_pipelines.settings import load_settings
from tests.auth_support import api_client


def test_rotating_user_headers_does_not_escape_the_rate_limit(specgpt_home: Path, monkeypatch):
    monkeypatch.setenv("AGENTOPS_SPECGPT_RATE_PER_MINUTE", "2")
    client = api_client(create_app(load_settings()), "ada", "viewer")
    statuses = [
        client.post(
            "/api/assistant/ask",
            json={"question": "invoice retention"},
            headers={"X-AgentOps-User": f"sock-puppet-{n}"},
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
