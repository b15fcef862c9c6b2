"""The KPI & costs page on built marts, and on a missing warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from warehouse_build import BuiltWarehouse

PAGE = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages" / "kpi.py"


def _run() -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_warehouse_page_shows_marts(kpi_env: BuiltWarehouse) -> None:
    at = _run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["LLM cost (USD)"] == "0.2515"
    assert metrics["LLM calls"] == "4"
    assert metrics["Cache savings (USD)"] == "0.0015"
    assert metrics["Failure rate (no result)"] == "50.0%"
    assert not at.info or all("No KPI data" not in i.value for i in at.info)
    labels = [b.label for b in at.get("download_button")]
    assert "Export llm_cost_daily (CSV)" in labels


def test_warehouse_page_filters_by_workspace(kpi_env: BuiltWarehouse) -> None:
    at = _run()
    at.multiselect[0].select("globex").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["LLM cost (USD)"] == "0.2500"
    assert metrics["LLM calls"] == "1"


def test_warehouse_page_on_missing_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENTOPS_HOME", str(tmp_path / "empty"))
    monkeypatch.delenv("AGENTOPS_WAREHOUSE", raising=False)
    monkeypatch.setenv("AGENTOPS_LOG_FORMAT", "plain")
    at = _run()
    assert any("No KPI data yet" in i.value for i in at.info)
