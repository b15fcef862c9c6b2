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
SERVER_MARKERS = ("postgres", "browser", "slow", "e2e", "server")


def needs_server(fixturenames: Iterable[str], markers: Iterable[str]) -> bool:
    """True when a test uses a server fixture or carries a marker that implies one."""
    return bool(SERVER_FIXTURES.intersection(fixturenames)) or any(
        m in SERVER_MARKERS for m in markers
    )


def mark_server_tests(items: list[pytest.Item]) -> None:
    for item in items:
        names = getattr(item, "fixturenames", ())
        if needs_server(names, (m.name for m in item.iter_markers())):
            item.add_marker(pytest.mark.server)


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
