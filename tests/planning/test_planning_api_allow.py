"""The 405 handler lists every method of the path, not only the first matching route's."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from agentops_pipelines.api import allow


def _app() -> FastAPI:
    app = FastAPI()
    allow.install(app)

    @app.get("/things/{thing_id}")
    def read(thing_id: int) -> int:
        return thing_id

    @app.put("/things/{thing_id}")
    def write(thing_id: int) -> int:
        return thing_id

    @app.delete("/other")
    def remove() -> None:
        return None

    return app


def test_405_lists_methods_of_all_routes_on_the_path() -> None:
    client = TestClient(_app())
    refused = client.post("/things/7")
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, PUT"
    assert refused.json() == {"detail": "Method Not Allowed"}
    # Other paths' methods stay out, and served methods are untouched.
    assert client.patch("/other").headers["allow"] == "DELETE"
    assert client.put("/things/7").json() == 7


def test_real_app_git_links_allows_get_and_put(tmp_path: Path) -> None:
    from agentops_pipelines.api.app import create_app
    from agentops_pipelines.settings import load_settings

    client = TestClient(create_app(load_settings({"AGENTOPS_HOME": str(tmp_path)})))
    refused = client.post("/api/git/links")
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, PUT"
