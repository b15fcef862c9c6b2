"""Fixtures of the codegen tests: a small spec and its task graph, routers on tmp databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.llm import Router, build_router
from agentops_pipelines.llm.providers.registry import ProviderSettings
from agentops_pipelines.planning import TaskGraph
from agentops_pipelines.specs.models import SpecDocument
from tests.support.codegen_support import small_graph, small_spec

TESTS = Path(__file__).resolve().parents[1]

REPO = TESTS.parent


@pytest.fixture
def spec() -> SpecDocument:
    return small_spec()


@pytest.fixture
def graph(spec: SpecDocument) -> TaskGraph:
    return small_graph(spec)


@pytest.fixture
def offline_router(tmp_path: Path) -> Router:
    """No provider key at all: every codegen call is answered by the offline provider."""
    return build_router(
        REPO / "config" / "llm_policy.yaml", f"sqlite:///{tmp_path / 'app.db'}", ProviderSettings()
    )
