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


def _fail_a_run(dagster_home) -> str:
    """A real failed run of the spec's partition in a real instance under `dagster_home`."""
    import dagster as dg

    partitions = dg.DynamicPartitionsDefinition(name="spec")

    @dg.asset(partitions_def=partitions, name="technical_plan")
    def technical_plan() -> None:
        raise RuntimeError("router unreachable with key sk-live-51FAKEexampleKEYdoNOTuse00000000")

    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions("spec", [KEY])
        result = dg.materialize(
            [technical_plan], instance=instance, partition_key=KEY, raise_on_error=False
        )
        assert not result.success
        return result.run_id


def test_banner_names_the_version_and_the_failed_step_with_its_reason(
    agentops_home, tmp_path, monkeypatch
) -> None:
    from agentops_pipelines.runs.failures import with_last_failure

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    (tmp_path / "dagster").mkdir()
    store = _seed(agentops_home)
    for kind in ("technical_plan", "qa_scores", "pull_request"):
        store.write_text(kind, KEY, '{"spec_content_hash": "0ld0ld0ld0ld"}')
    later = store.path_for("qa_scores", KEY).stat().st_mtime + 10
    os.utime(store.path_for("spec_document", KEY), (later, later))
    assert with_last_failure(downstream_status(store, KEY)).failure is None  # no run yet
    run_id = _fail_a_run(tmp_path / "dagster")
    status = with_last_failure(downstream_status(store, KEY))
    assert status.failure is not None and status.failure.run_id == run_id
    assert status.failure.step == "technical_plan"
    banner = status.banner()
    assert "built from version 0ld0ld0l" in banner
    assert "The last update failed in technical_plan: " in banner and "router unreachable" in banner
    assert "sk-live-51FAKE" not in banner  # secrets never reach the page
    assert f"run {run_id[:8]}" in banner and "Retry" in banner
    out = CliRunner().invoke(app, ["specs"], terminal_width=250)
    assert out.exit_code == 0, out.output
    assert "router unreachable" in out.output and "sk-live-51FAKE" not in out.output
