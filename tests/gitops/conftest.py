"""Fixtures of the gitops tests: the real GitHub payload examples and a receiver on tmp_path."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from gitops_fake_github import fake, server  # noqa: F401  (fixtures of the local GitHub)
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.api.receiver.github_route import webhook_router
from agentops_pipelines.gitops.inbox.events import HANDLED_EVENTS
from agentops_pipelines.gitops.inbox.reader import InboxWriter
from agentops_pipelines.store.db import make_engine, open_store

WEBHOOK_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "github_webhooks"
EXAMPLES = (WEBHOOK_DATA / "payload-examples").resolve()
SCHEMAS = (WEBHOOK_DATA / "payload-schemas").resolve()
SECRET = "test-webhook-secret-5f1c"


@pytest.fixture(autouse=True)
def _local_bare_remotes_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests push to local bare repositories: an explicit allowance, as in the demo."""
    monkeypatch.setenv("AGENTOPS_GIT_ALLOW_LOCAL_REMOTES", "on")


@dataclass(frozen=True)
class Example:
    event: str
    name: str
    body: bytes

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


def load_examples() -> list[Example]:
    """Every payload example; the event name is the folder name (see the examples' README)."""
    return [
        Example(event=path.parent.name, name=path.name, body=path.read_bytes())
        for path in sorted(EXAMPLES.glob("*/*.json"))
    ]


@dataclass
class Receiver:
    client: TestClient
    sessions: sessionmaker


def build_receiver(db_url: str, max_body_bytes: int | None = None) -> Receiver:
    sessions = open_store(db_url)
    app = FastAPI()
    kwargs = {} if max_body_bytes is None else {"max_body_bytes": max_body_bytes}
    app.include_router(webhook_router(SECRET, InboxWriter(make_engine(db_url)), **kwargs))
    return Receiver(client=TestClient(app), sessions=sessions)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`example`: one test per payload example; `handled_example`: per handled-event example."""
    for name, handled_only in (("example", False), ("handled_example", True)):
        if name in metafunc.fixturenames:
            examples = [e for e in load_examples() if not handled_only or e.event in HANDLED_EVENTS]
            ids = [f"{e.event}/{e.name}" for e in examples]
            metafunc.parametrize(name, examples, ids=ids)


@pytest.fixture
def examples() -> list[Example]:
    return load_examples()


@pytest.fixture
def make_receiver():
    return build_receiver


@pytest.fixture
def secret() -> str:
    return SECRET


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Receiver:
    db = tmp_path_factory.mktemp("inbox") / "app.db"
    return build_receiver(f"sqlite:///{db}")


@pytest.fixture
def fresh_receiver(tmp_path: Path) -> Receiver:
    return build_receiver(f"sqlite:///{tmp_path / 'app.db'}")
