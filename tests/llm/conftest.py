"""Shared fixtures of the LLM router tests: fake OpenAI/Mistral servers and a router factory with
a test policy (tiny delays, a fake clock, recorded sleeps)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from agentops_pipelines.llm.providers.registry import ProviderSettings
from agentops_pipelines.llm.router import build_router
from tests.support.llm_fake_servers import FakeChatServer
from tests.support.llm_test_support import (
    REPO,
    SECRET_MISTRAL,
    SECRET_OPENAI,
    FakeClock,
    base_policy,
)


@pytest.fixture
def openai_server():
    with FakeChatServer("openai") as server:
        yield server


@pytest.fixture
def mistral_server():
    with FakeChatServer("mistral") as server:
        yield server


@pytest.fixture
def make_router(tmp_path, openai_server, mistral_server):
    """A router on a tmp database against both fake servers: returns (router, sleeps, clock)."""

    def factory(policy: dict | None = None, settings: ProviderSettings | None = None, **patch):
        policy = policy or base_policy()
        for key, value in patch.items():
            policy[key] = value
        (tmp_path / "llm_policy.yaml").write_text(yaml.safe_dump(policy))
        shutil.copy(REPO / "config" / "llm_prices.yaml", tmp_path / "llm_prices.yaml")
        settings = settings or ProviderSettings(
            openai_api_key=SECRET_OPENAI,
            openai_base_url=openai_server.base_url,
            mistral_api_key=SECRET_MISTRAL,
            mistral_base_url=mistral_server.base_url,
        )
        sleeps: list[float] = []
        clock = FakeClock()
        router = build_router(
            tmp_path / "llm_policy.yaml",
            f"sqlite:///{tmp_path / 'app.db'}",
            settings,
            sleep=sleeps.append,
            clock=clock,
        )
        return router, sleeps, clock

    return factory
