from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from agentops_pipelines.api.app import create_app
from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.planning import plan_spec
from agentops_pipelines.settings import load_settings
from tests.auth_support import api_client
from tests.support.planning_factories import spec_doc

KEY = "billing/spec.md"
SPEC_TEXT = """# Feature: Orders API

## Requirements

- **FR-001**: The API MUST return an order by id as JSON.
- **FR-002**: The system MUST store every order in the database.
"""


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    settings = load_settings({"AGENTOPS_HOME": str(tmp_path)})
    ArtefactStore(settings.artefact_root).write_model("spec_document", KEY, spec_doc())
    return api_client(create_app(settings, max_body_bytes=64 * 1024), role="viewer")


def test_plan_builder_from_stored_spec(client: TestClient) -> None:
    body = {"spec_id": KEY, "template": "rest_service", "stack": {"language": "python"}}
    res = client.post("/api/plan-builder", json=body)
    assert res.status_code == 200, res.text
    data = res.json()
    assert data["hash"] == data["task_graph"]["hash"]
    assert data["plan"]["spec_id"] == KEY
    again = client.post("/api/plan-builder", json=body).json()
    assert again["hash"] == data["hash"]


def test_plan_builder_from_pasted_text(client: TestClient) -> None:
    pytest.importorskip("agentops_pipelines.specs.parsing", reason="spec parser not importable")
    res = client.post(
        "/api/plan-builder",
        json={"spec_text": SPEC_TEXT, "spec_id": "orders/spec.md", "template": "rest_service"},
    )
    assert res.status_code == 200, res.text
    assert res.json()["plan"]["requirement_ids"]


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"template": "rest_service"}, 422, "spec_text"),
        ({"spec_id": "nope.md", "template": "rest_service"}, 404, "nope.md"),
        ({"spec_id": KEY, "template": "bogus"}, 422, "rest_service"),
        ({"spec_id": KEY, "template": "rest_service", "stack": {"storage": "x"}}, 422, "stack"),
        ({"spec_id": KEY, "template": "rest_service", "stack": {"os": "x"}}, 422, "os"),
    ],
)
def test_plan_builder_errors_say_what_to_fix(
    client: TestClient, body: dict, status: int, needle: str
) -> None:
    res = client.post("/api/plan-builder", json=body)
    assert res.status_code == status
    assert needle in res.text


def test_body_over_the_limit_is_413(client: TestClient) -> None:
    big = {"spec_text": "x" * (65 * 1024), "template": "rest_service"}
    res = client.post("/api/plan-builder", json=big)
    assert res.status_code == 413
    assert "larger than" in res.json()["detail"]


def test_stored_plan_and_tasks_are_served(client: TestClient, tmp_path: Path) -> None:
    assert client.get(f"/api/plans/{KEY}").status_code == 404
    missing = client.get(f"/api/plans/{KEY}/tasks")
    assert missing.status_code == 404 and "materialise task_graph" in missing.text
    result = plan_spec(KEY, "web_feature", settings=load_settings({"AGENTOPS_HOME": str(tmp_path)}))
    plan = client.get(f"/api/plans/{KEY}")
    tasks = client.get(f"/api/plans/{KEY}/tasks")
    assert plan.status_code == 200 and plan.json()["template_id"] == "web_feature"
    assert tasks.status_code == 200 and tasks.json()["hash"] == result.hash


def test_openapi_lists_the_plan_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/plan-builder", "/api/plans/{spec_id}", "/api/plans/{spec_id}/tasks"} <= set(paths)
    assert client.get("/docs").status_code == 200


def test_plan_builder_refuses_a_pathological_spec_with_422(tmp_path: Path) -> None:
    from tests.api_support import api_client

    client = api_client(settings=load_settings({"AGENTOPS_HOME": str(tmp_path)}))
    body = {"spec_text": "# Hostile\n\n" + "[!" * 200_000, "template": "rest_service"}
    res = client.post("/api/plan-builder", json=body)
    assert res.status_code == 422, res.text
    assert "never closed" in res.json()["detail"] and "line 3" in res.json()["detail"]


@pytest.mark.parametrize("suffix", ["", "/tasks"])
def test_overlong_spec_id_is_422_naming_the_limit_not_500(tmp_path: Path, suffix: str) -> None:
    from tests.api_support import api_client

    settings = load_settings({"AGENTOPS_HOME": str(tmp_path)})
    store = ArtefactStore(settings.artefact_root)
    for kind in ("technical_plan", "task_graph", "spec_document"):  # folders exist, as in use
        (settings.artefact_root / kind).mkdir(parents=True, exist_ok=True)
    store.write_model("spec_document", KEY, spec_doc())
    client = api_client(settings=settings)
    res = client.get(f"/api/plans/{'a' * 300}{suffix}")
    assert res.status_code == 422, res.text
    assert "too long" in res.json()["detail"] and "300 characters" in res.json()["detail"]
    built = client.post(
        "/api/plan-builder", json={"spec_id": "b" * 300, "template": "rest_service"}
    )
    assert built.status_code == 422 and "too long" in built.json()["detail"]
