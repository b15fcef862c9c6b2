"""Fixtures of the codegen tests: a small spec and its task graph, routers on tmp databases."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
for folder in ("codeintel", "llm", "planning"):
    sys.path.insert(0, str(TESTS / folder))

from codegen_support import small_graph, small_spec  # noqa: E402

from agentops_pipelines.llm import Router, build_router  # noqa: E402
from agentops_pipelines.llm.providers.registry import ProviderSettings  # noqa: E402
from agentops_pipelines.planning import TaskGraph  # noqa: E402
from agentops_pipelines.specs.models import SpecDocument  # noqa: E402

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
