"""What `make unit` leaves out: tests that need a server (PostgreSQL, Chromium, a local HTTP
server standing in for GitHub, Stripe, an LLM provider or OpenSearch) or that are marked slow.

Selection is by fixture, so a new test that asks for `pg_url` or a fake server is left out of
`make unit` without anyone remembering a marker. Under `make unit` (AGENTOPS_UNIT=1) a test that
still opens a listening TCP socket fails with a message naming the fix, so the selection cannot
silently drift into running servers."""

from __future__ import annotations

import socket
from collections.abc import Iterable

import pytest

# Fixtures that start a server (directly or through the fixtures they use; pytest's fixture
# closure is transitive, so `pg_store` is covered by `pg_url`).
SERVER_FIXTURES = frozenset(
    {
        "pg_url",  # PostgreSQL database
        "page",  # headless Chromium
        "server",  # local GitHub REST/GraphQL wire server (gitops)
        "fake",
        "review_server",
        "fake_openai",  # local OpenAI / Mistral wire servers
        "openai_server",
        "mistral_server",
        "local_server",  # the bundled llama.cpp model server
        "fake_stripe",  # local Stripe wire server
        "oidc_provider",  # local OIDC provider (JWKS over HTTP)
        "osmem_url",  # OpenSearch-compatible server
        "streamlit_url",
        "dashboard_url",
    }
)
# Tests that start a local server in their own body (found by the listen guard below).
SERVER_TESTS = (
    "tests/codegen/test_codegen_llm.py",
    "tests/codegen/test_codegen_repair.py",
    "tests/llm/test_llm_plan_enrichment.py",
    "tests/review/test_review_model_comments.py",
    "tests/qa/test_qa_sandbox.py::test_network_is_unreachable",
    "tests/warehouse/test_warehouse_alerts.py",
)
# Minutes rather than seconds although no server is involved: dbt builds of the warehouse, the
# whole pipeline driven through the CLI, real spec corpora, repository environments, the SBOM.
# They run in `make test`; `make unit` leaves them out (marker `heavy`).
HEAVY_TESTS = (
    "tests/warehouse/",
    "tests/pipeline/test_pipeline_cli.py",
    "tests/pipeline/test_pipeline_search_ui.py",
    "tests/qa/test_qa_assets.py",
    "tests/qa/test_qa_citations.py",
    "tests/qa/test_qa_whole_repo.py",
    "tests/deploy/test_deploy_release.py",
    "tests/deploy/test_deploy_k8s.py",
    "tests/store/test_store_schema.py::test_cli_upgrade",
    "tests/codegen/test_codegen_real_specs.py",
    "tests/codegen/test_codegen_offline.py::test_skeletons_fail_when_run",
    "tests/marketplace/test_marketplace_catalog.py::test_concurrent_seeding",
    "tests/assistant/test_assistant_smell_model.py",
    "tests/assistant/test_assistant_page.py",
    "tests/specs/test_specs_corpus.py",
    "tests/pipeline/test_pipeline_asset_graph.py",
)
SERVER_MARKERS = ("postgres", "browser", "slow", "e2e", "server")


def needs_server(fixturenames: Iterable[str], markers: Iterable[str]) -> bool:
    """True when a test uses a server fixture or carries a marker that implies one."""
    return bool(SERVER_FIXTURES.intersection(fixturenames)) or any(
        m in SERVER_MARKERS for m in markers
    )


def mark_server_tests(items: list[pytest.Item]) -> None:
    """Mark `server` (by fixture, marker or SERVER_TESTS) and `heavy` (HEAVY_TESTS)."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        markers = [m.name for m in item.iter_markers()]
        if needs_server(names, markers) or item.nodeid.startswith(SERVER_TESTS):
            item.add_marker(pytest.mark.server)
        if item.nodeid.startswith(HEAVY_TESTS):
            item.add_marker(pytest.mark.heavy)


class ServerInUnitRun(RuntimeError):
    """A test selected by `make unit` tried to start a server."""


def refuse_listening_sockets(monkeypatch: pytest.MonkeyPatch, test_id: str) -> None:
    """Make `listen()` on a TCP socket fail: a unit test must not start a server."""
    original = socket.socket.listen

    def listen(self: socket.socket, *args: int) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise ServerInUnitRun(
                f"{test_id} starts a TCP server under `make unit`: give it a server fixture "
                "(tests/support/unit_selection.py SERVER_FIXTURES) or @pytest.mark.server"
            )
        original(self, *args)

    monkeypatch.setattr(socket.socket, "listen", listen)
