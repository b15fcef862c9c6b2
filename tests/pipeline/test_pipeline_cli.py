"""`agentops ingest` and `agentops specs` against a temporary spec folder and Dagster home."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from typer.testing import CliRunner

from agentops_pipelines.cli.main import app
from tests.pipeline.spec_fixtures import OPENSPEC, PLAIN

runner = CliRunner()


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "specs"
    root.mkdir()
    (root / "exports.md").write_text(OPENSPEC)
    (root / "notify.md").write_text(PLAIN)
    return root


def test_ingest_through_dagster_then_unchanged_then_list(agentops_home, tmp_path):
    root = _folder(tmp_path)
    first = runner.invoke(app, ["ingest", str(root)], terminal_width=200)
    assert first.exit_code == 0, first.output
    assert "2 specs, 2 ingested, 0 failed" in first.output

    instance = dg.DagsterInstance.get()
    assert set(instance.get_dynamic_partitions("spec")) == {"exports.md", "notify.md"}
    assert len(instance.get_runs(filters=dg.RunsFilter(job_name="spec_pipeline_job"))) == 2

    again = runner.invoke(app, ["ingest", str(root)], terminal_width=200)
    assert again.exit_code == 0, again.output
    assert "2 specs, 0 ingested, 0 failed" in again.output
    assert len(instance.get_runs(filters=dg.RunsFilter(job_name="spec_pipeline_job"))) == 2

    listing = runner.invoke(app, ["specs"], terminal_width=200)
    assert listing.exit_code == 0
    assert "exports.md" in listing.output and "openspec" in listing.output


def test_ingest_reports_a_bad_file_and_exits_non_zero(agentops_home, tmp_path):
    root = _folder(tmp_path)
    (root / "broken.md").write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(app, ["ingest", str(root), "--no-dagster"], terminal_width=250)
    assert result.exit_code == 1
    assert "broken.md" in result.output and "failed" in result.output
    assert "3 specs" in result.output


HOSTILE = "# Hostile\n\n" + "[!" * 75_000  # 150 KB: minutes of markdown-it before the budget


def test_ingest_fails_a_pathological_spec_alone_and_ingests_the_sound_one(agentops_home, tmp_path):
    root = tmp_path / "specs"
    root.mkdir()
    (root / "exports.md").write_text(OPENSPEC)
    (root / "hostile.md").write_text(HOSTILE)
    result = runner.invoke(app, ["ingest", str(root)], terminal_width=400)
    assert result.exit_code == 1, result.output
    assert "2 specs" in result.output and "1 failed" in result.output
    lines = {ln.split("│")[1].strip(): ln for ln in result.output.splitlines() if "│" in ln}
    assert "ingested" in lines["exports.md"]
    assert "failed" in lines["hostile.md"]
    instance = dg.DagsterInstance.get()
    [failed] = instance.get_runs(
        filters=dg.RunsFilter(job_name="spec_pipeline_job", statuses=[dg.DagsterRunStatus.FAILURE])
    )
    assert failed.tags.get("dagster/partition") == "hostile.md"
    failures = [
        e.dagster_event.step_failure_data.error.message
        for e in instance.all_logs(failed.run_id)
        if e.dagster_event is not None and e.dagster_event.is_step_failure
    ]
    assert any("never closed" in m and "line 3" in m for m in failures)
