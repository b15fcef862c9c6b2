"""The weekly KPI report asset: Markdown + HTML with PNG charts rendered by kaleido/Chromium."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from warehouse_build import TODAY, BuiltWarehouse

from agentops_pipelines.defs.assets.warehouse import weekly_kpi_report, weekly_report_partitions
from agentops_pipelines.resources import build_resources
from agentops_pipelines.warehouse.report import build_weekly_report


def _week_key() -> str:
    return weekly_report_partitions.get_partition_key_for_timestamp(TODAY.timestamp())


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian chromium")
def test_warehouse_weekly_report_with_png_charts(
    kpi_env: BuiltWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTOPS_ARTEFACT_ROOT", str(tmp_path / "artefacts"))
    result = dg.materialize(
        [weekly_kpi_report], partition_key=_week_key(), resources=build_resources()
    )
    assert result.success
    meta = result.asset_materializations_for_node("weekly_kpi_report")[0].metadata
    assert meta["chart_note"].value == ""
    assert meta["headline"].value["llm_calls"] == 4
    folder = tmp_path / "artefacts" / "kpi_report"
    pngs = sorted(p.name for p in folder.glob("*.png"))
    assert pngs == [f"{_week_key()}-{n}.png" for n in ("cost", "rag_latency", "workflows")]
    assert (folder / pngs[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = Path(meta["html"].value).read_text()
    assert html.count("data:image/png;base64,") == 3
    markdown = Path(meta["markdown"].value).read_text()
    assert "| llm_cost_usd | 0.2515 |" in markdown


def test_warehouse_weekly_report_fallback_without_pngs(
    kpi_env: BuiltWarehouse, tmp_path: Path
) -> None:
    week = TODAY.date()
    report = build_weekly_report(kpi_env.path, tmp_path, week, render_charts=False)
    html = Path(report.html_path).read_text()
    assert "<img" not in html and "plotly" in html.lower()
    assert "Charts: PNG rendering was turned off" in Path(report.markdown_path).read_text()
