"""The weekly KPI report: headline figures and charts from the marts, as Markdown and HTML.

Kept as artefacts under `kpi_report/`: `<week>.md`, `<week>.html` (PNG charts embedded as data
URIs so the file stands alone) and `<week>-<chart>.png` beside them.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

import plotly.express as px
import plotly.graph_objects as go
import polars as pl
from pydantic import BaseModel, Field

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.warehouse.charts import ChartRenderError, interactive_html, render_pngs
from agentops_pipelines.warehouse.marts import available_marts, read_mart

REPORT_KIND = "kpi_report"


class WeeklyReport(BaseModel):
    week_start: date
    week_end: date
    headline: dict[str, float | int | None] = Field(default_factory=dict)
    charts: list[str] = Field(default_factory=list)
    chart_note: str | None = None
    markdown_path: str = ""
    html_path: str = ""


def _sum(frame: pl.DataFrame, column: str) -> float:
    return float(frame[column].sum()) if frame.height else 0.0


def _max(frame: pl.DataFrame, column: str) -> float | None:
    value = frame[column].max() if frame.height else None
    return float(value) if isinstance(value, int | float) else None


def _headline(marts: dict[str, pl.DataFrame]) -> dict[str, float | int | None]:
    cost, runs, rag = marts["cost"], marts["workflows"], marts["rag"]
    finished = _sum(runs, "finished")
    queries = _sum(rag, "queries")
    return {
        "llm_cost_usd": round(_sum(cost, "cost_usd"), 6),
        "llm_calls": int(_sum(cost, "calls")),
        "cache_savings_usd": round(_sum(cost, "cache_savings_usd"), 6),
        "workflow_runs": int(_sum(runs, "runs")),
        "workflow_success_rate": round(_sum(runs, "succeeded") / finished, 4) if finished else None,
        "rag_queries": int(queries),
        "rag_failure_rate": round(_sum(rag, "failures") / queries, 4) if queries else None,
        "rag_latency_p95_ms": _max(rag, "latency_p95_ms"),
    }


def _figures(marts: dict[str, pl.DataFrame]) -> dict[str, go.Figure]:
    figures: dict[str, go.Figure] = {}
    cost = marts["cost"]
    if cost.height:
        daily = cost.group_by("call_date", "provider").agg(pl.col("cost_usd").sum())
        figures["cost"] = px.bar(
            daily.sort("call_date").to_pandas(),
            x="call_date",
            y="cost_usd",
            color="provider",
            title="LLM cost per day (USD)",
        )
    runs = marts["workflows"]
    if runs.height:
        daily_runs = runs.group_by("run_date").agg(
            pl.col("succeeded").sum(), pl.col("failed").sum()
        )
        figures["workflows"] = px.bar(
            daily_runs.sort("run_date").to_pandas(),
            x="run_date",
            y=["succeeded", "failed"],
            title="Workflow runs per day",
        )
    rag = marts["rag"]
    if rag.height:
        figures["rag_latency"] = px.line(
            rag.sort("query_date").to_pandas(),
            x="query_date",
            y="latency_p95_ms",
            color="mode",
            title="Retrieval latency p95 (ms)",
        )
    return figures


def _write_bytes(target: Path, data: bytes) -> None:
    """Atomic like ArtefactStore.write_text: a reader never sees half a PNG."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)


def _table_md(headline: dict[str, float | int | None]) -> str:
    rows = "\n".join(f"| {k} | {'n/a' if v is None else v} |" for k, v in headline.items())
    return f"| KPI | value |\n|---|---|\n{rows}\n"


def build_weekly_report(
    warehouse: Path,
    artefact_root: Path,
    week_start: date,
    render_charts: bool = True,
    browser: Path | None = None,
) -> WeeklyReport:
    week_end = week_start + timedelta(days=6)
    present = set(available_marts(warehouse))

    def mart(name: str) -> pl.DataFrame:
        return (
            read_mart(warehouse, name, week_start, week_end) if name in present else pl.DataFrame()
        )

    marts = {
        "cost": mart("fct_llm_cost_daily"),
        "workflows": mart("fct_workflow_daily"),
        "rag": mart("fct_rag_daily"),
    }
    report = WeeklyReport(week_start=week_start, week_end=week_end, headline=_headline(marts))
    figures = _figures(marts)
    store = ArtefactStore(artefact_root)
    key = week_start.isoformat()
    pngs: dict[str, bytes] = {}
    if render_charts:
        try:
            pngs = render_pngs(figures, browser)
        except ChartRenderError as err:
            report.chart_note = str(err)
    else:
        report.chart_note = "PNG rendering was turned off for this run"
    report.charts = list(figures)
    title = f"AgentOps weekly KPI report {week_start} to {week_end}"
    md = [f"# {title}\n", _table_md(report.headline)]
    body = [f"<h1>{html.escape(title)}</h1>", _html_table(report.headline)]
    fallback = interactive_html(figures) if figures and not pngs else {}
    for name in figures:
        if name in pngs:
            png_path = store.path_for(REPORT_KIND, f"{key}-{name}", ".png")
            _write_bytes(png_path, pngs[name])
            md.append(f"![{name}]({png_path.name})\n")
            data = base64.b64encode(pngs[name]).decode("ascii")
            body.append(f'<img alt="{name}" src="data:image/png;base64,{data}"/>')
        else:
            body.append(fallback[name])
    if report.chart_note:
        md.append(f"\n> Charts: {report.chart_note}\n")
    if not figures:
        md.append("\nNo activity recorded this week.\n")
    report.markdown_path = str(store.write_text(REPORT_KIND, key, "\n".join(md), ".md"))
    page = f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
    page += f"</head><body>{''.join(body)}</body></html>"
    report.html_path = str(store.write_text(REPORT_KIND, key, page, ".html"))
    return report


def _html_table(headline: dict[str, float | int | None]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{'n/a' if v is None else v}</td></tr>"
        for k, v in headline.items()
    )
    return f"<table><tr><th>KPI</th><th>value</th></tr>{rows}</table>"
