"""`agentops plan` and `POST /api/plan-builder` produce the same plan and task-graph hash."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from agentops_pipelines.api.app import create_app
from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.cli.main import app
from agentops_pipelines.settings import load_settings
from agentops_pipelines.specs.parsing import parse_spec
from tests.auth_support import api_client
from tests.conftest import EXAMPLE_SPECS

KEY = "orders-api/spec.md"


def test_cli_and_api_agree_on_plan_and_hash(agentops_home):
    settings = load_settings()
    doc = parse_spec(KEY, (EXAMPLE_SPECS / KEY).read_text())
    ArtefactStore(settings.artefact_root).write_model("spec_document", KEY, doc)

    cli = CliRunner().invoke(
        app, ["plan", KEY, "--template", "rest_service", "--output", "hash"], terminal_width=200
    )
    assert cli.exit_code == 0, cli.output
    cli_hash = cli.output.strip()

    api = api_client(create_app(settings), role="viewer").post(
        "/api/plan-builder", json={"spec_id": KEY, "template": "rest_service"}
    )
    assert api.status_code == 200, api.text
    assert api.json()["hash"] == cli_hash

    cli_json = CliRunner().invoke(
        app, ["plan", KEY, "--template", "rest_service", "--output", "json"], terminal_width=200
    )
    cli_plan = json.loads(cli_json.output)
    assert cli_plan["sections"] == api.json()["plan"]["sections"]


def test_cli_plan_of_an_unknown_spec_is_one_clear_line(agentops_home):
    cli = CliRunner().invoke(app, ["plan", "no-such/spec.md"], terminal_width=200)
    assert cli.exit_code == 2
    assert "no-such/spec.md" in cli.output
    assert "Traceback" not in cli.output and len(cli.output.strip().splitlines()) <= 3
