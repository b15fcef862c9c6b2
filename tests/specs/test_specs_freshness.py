"""A spec's downstream is stale when written before its current document; `agentops specs`
says so in its downstream column."""

from __future__ import annotations

import os

from typer.testing import CliRunner

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.cli.main import app
from agentops_pipelines.settings import load_settings
from agentops_pipelines.specs.freshness import downstream_status
from agentops_pipelines.specs.parsing import parse_spec

KEY = "notify.md"


def _seed(agentops_home) -> ArtefactStore:
    store = ArtefactStore(load_settings().artefact_root)
    store.write_model("spec_document", KEY, parse_spec(KEY, "# Notify\n- R1: It shall send.\n"))
    return store


def test_missing_then_fresh_then_stale(agentops_home) -> None:
    store = _seed(agentops_home)
    assert downstream_status(store, "nope.md") is None
    status = downstream_status(store, KEY)
    assert status.missing == ["technical_plan", "qa_scores", "pull_request"] and not status.fresh
    for kind in ("technical_plan", "qa_scores", "pull_request"):
        store.write_text(kind, KEY, "{}")
    assert downstream_status(store, KEY).fresh
    later = store.path_for("qa_scores", KEY).stat().st_mtime + 10
    os.utime(store.path_for("spec_document", KEY), (later, later))  # the spec was edited
    stale = downstream_status(store, KEY)
    assert stale.stale == ["technical_plan", "qa_scores", "pull_request"]
    assert "older version" in stale.banner() and "Dagster UI" in stale.banner()


def test_cli_specs_shows_the_downstream_column(agentops_home) -> None:
    _seed(agentops_home)
    out = CliRunner().invoke(app, ["specs"], terminal_width=250)
    assert out.exit_code == 0, out.output
    flat = " ".join(out.output.split())  # rich wraps cells at the runner's width
    assert "1 spec(s) with a stale or missing downstream" in flat
