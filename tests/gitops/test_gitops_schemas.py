"""Payload examples validate against the octokit JSON schemas, and handled ones parse to models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from agentops_pipelines.gitops.inbox.events import (
    EVENT_MODELS,
    HANDLED_EVENTS,
    UnhandledEventError,
    parse_event,
)

SCHEMAS = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "data"
    / "github_webhooks"
    / "payload-schemas"
).resolve()


@pytest.fixture(scope="module")
def registry() -> Registry:
    """Schemas $ref each other by their `$id` (e.g. `common/user.schema.json`)."""
    resources = []
    for path in SCHEMAS.rglob("*.schema.json"):
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents, DRAFT7)))
    return Registry().with_resources(resources)


def _schema_for(event: str, payload: dict) -> Path:
    action = payload.get("action")
    return SCHEMAS / event / (f"{action}.schema.json" if action else "event.schema.json")


def test_every_example_has_a_schema(examples) -> None:
    missing = [
        f"{e.event}/{e.name}" for e in examples if not _schema_for(e.event, e.payload).exists()
    ]
    assert missing == []


def test_example_matches_its_schema(example, registry: Registry) -> None:
    schema = json.loads(_schema_for(example.event, example.payload).read_text())
    validator = Draft7Validator(schema, registry=registry)
    errors = [
        f"{list(err.absolute_path)}: {err.message}"
        for err in validator.iter_errors(example.payload)
    ]
    assert errors == []


def test_handled_example_parses_to_its_model(handled_example) -> None:
    model = parse_event(handled_example.event, handled_example.payload)
    assert isinstance(model, EVENT_MODELS[handled_example.event])


def test_unhandled_event_does_not_parse(examples) -> None:
    issue = next(e for e in examples if e.event not in HANDLED_EVENTS)
    with pytest.raises(UnhandledEventError, match="not handled"):
        parse_event(issue.event, issue.payload)


def test_schema_rejects_a_broken_push(examples, registry: Registry) -> None:
    push = next(e for e in examples if e.event == "push").payload
    del push["after"]
    push["commits"] = [{"id": 1}]
    schema = json.loads((SCHEMAS / "push" / "event.schema.json").read_text())
    assert len(list(Draft7Validator(schema, registry=registry).iter_errors(push))) >= 2
