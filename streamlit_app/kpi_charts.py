"""The KPI page's figures, readable from the first day on.

With one day of data plotly's autoscale picks sub-millisecond date ticks, an all-zero cost gets
a -1..1 axis and a line of one point per spec draws nothing. These builders pin daily ticks,
start money and counts at zero and show a single day's completion as bars.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

_DAY_MS = 86_400_000


def day_axis(fig: go.Figure, dates: pd.Series) -> go.Figure:
    """Whole days on the x axis; a short range gets one tick per day, one day a range around it."""
    days = pd.to_datetime(dates.dropna()).dt.normalize().unique()
    fig.update_xaxes(type="date", tickformat="%b %d, %Y", title_text="day")
    if len(days) and (days.max() - days.min()) <= pd.Timedelta(days=14):
        fig.update_xaxes(dtick=_DAY_MS)
    if len(days) == 1:
        only = pd.Timestamp(days[0]).to_pydatetime()
        fig.update_xaxes(range=[only - timedelta(hours=18), only + timedelta(hours=18)])
    return fig


def zero_based(fig: go.Figure, values: pd.Series, *, money: bool = False) -> go.Figure:
    """Amounts and counts start at 0; all zero (day one, offline provider) shows 0..1, not -1..1."""
    fig.update_yaxes(rangemode="tozero")
    top = pd.to_numeric(values, errors="coerce").max() if len(values) else 0
    if not top or pd.isna(top) or top <= 0:
        fig.update_yaxes(range=[0, 1])
    if money:
        fig.update_yaxes(tickprefix="$", title_text="USD")
    return fig


def cost_per_day(daily: pd.DataFrame, by: str) -> go.Figure:
    fig = px.bar(daily, x="call_date", y="cost_usd", color=by, title="Cost per day (USD)")
    return zero_based(day_axis(fig, daily["call_date"]), daily["cost_usd"], money=True)


def runs_per_day(runs: pd.DataFrame) -> go.Figure:
    fig = px.bar(runs, x="run_date", y=["succeeded", "failed"], title="Finished runs per day")
    return zero_based(day_axis(fig, runs["run_date"]), runs[["succeeded", "failed"]].max(axis=1))


def completion(completion: pd.DataFrame) -> go.Figure:
    """Over time with markers; a single snapshot (day one) as one bar per spec."""
    days = completion["snapshot_date"].dropna().unique()
    if len(days) <= 1:
        day = pd.Timestamp(days[0]).date() if len(days) else None
        fig = px.bar(
            completion.sort_values("spec_id"),
            x="spec_id",
            y="completion_ratio",
            title=f"Spec completion on {day}" if day else "Spec completion",
        )
        fig.update_xaxes(title_text="spec")
    else:
        fig = px.line(
            completion,
            x="snapshot_date",
            y="completion_ratio",
            color="spec_id",
            markers=True,
            title="Spec completion",
        )
        day_axis(fig, completion["snapshot_date"])
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%", title_text="completion")
    return fig


def budget_remaining(budgeted: pd.DataFrame) -> go.Figure:
    fig = px.line(
        budgeted,
        x="call_date",
        y="remaining_usd",
        color="workspace",
        markers=True,
        title="Budget remaining per workspace (USD)",
    )
    return zero_based(day_axis(fig, budgeted["call_date"]), budgeted["remaining_usd"], money=True)


def latency(long: pd.DataFrame) -> go.Figure:
    fig = px.line(
        long,
        x="query_date",
        y="value",
        color="variable",
        line_dash="mode",
        markers=True,
        title="Retrieval latency (ms)",
    )
    return zero_based(day_axis(fig, long["query_date"]), long["value"])


def marketplace(market: pd.DataFrame) -> go.Figure:
    cols = ["uploads", "downloads", "forks", "ratings"]
    fig = px.bar(market, x="day", y=cols, title="Marketplace activity")
    return zero_based(day_axis(fig, market["day"]), market[cols].max(axis=1))
