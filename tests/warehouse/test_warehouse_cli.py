"""`agentops kpi` refreshes the warehouse through the Dagster jobs and reports each run."""

from __future__ import annotations

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from agentops_pipelines.cli.main import app


def test_warehouse_cli_kpi_refresh(agentops_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("AGENTOPS_LOG_FORMAT", "plain")
    result = CliRunner().invoke(app, ["kpi", "--day", "2026-03-02"])
    assert result.exit_code == 0, result.output
    assert "warehouse_job 2026-03-02: ok" in result.output
    assert "metrics_job : ok" in result.output
    with duckdb.connect(str(agentops_home / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute("select count(*) from main.fct_llm_cost_daily").fetchone() == (0,)


def test_warehouse_cli_kpi_rejects_bad_day(agentops_home: Path) -> None:
    result = CliRunner().invoke(app, ["kpi", "--day", "yesterday"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output
