"""The KPI figures on day one: daily ticks, $0 from zero, a completion chart that shows bars."""

from __future__ import annotations

from datetime import date

import pandas as pd

from streamlit_app import kpi_charts

DAY = date(2026, 5, 20)


def test_one_day_of_zero_cost_has_daily_ticks_and_a_zero_based_dollar_axis() -> None:
    daily = pd.DataFrame(
        {"call_date": [DAY, DAY], "provider": ["offline", "local"], "cost_usd": [0.0, 0.0]}
    )
    fig = kpi_charts.cost_per_day(daily, "provider")
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.dtick == 86_400_000
    low, high = fig.layout.xaxis.range
    assert pd.Timestamp(low) < pd.Timestamp(DAY) < pd.Timestamp(high)
    assert (pd.Timestamp(high) - pd.Timestamp(low)) >= pd.Timedelta(hours=24)
    assert tuple(fig.layout.yaxis.range) == (0, 1)  # not plotly's -1..1 for all zeros
    assert fig.layout.yaxis.tickprefix == "$"


def test_nonzero_amounts_start_at_zero_and_long_ranges_keep_autoticks() -> None:
    days = pd.date_range("2026-01-01", periods=60, freq="D")
    runs = pd.DataFrame({"run_date": days, "succeeded": range(60), "failed": [1] * 60})
    fig = kpi_charts.runs_per_day(runs)
    assert fig.layout.yaxis.rangemode == "tozero" and fig.layout.yaxis.range is None
    assert fig.layout.xaxis.dtick is None and fig.layout.xaxis.range is None


def test_completion_on_day_one_is_one_bar_per_spec() -> None:
    completion = pd.DataFrame(
        {
            "snapshot_date": [DAY] * 3,
            "spec_id": ["b/spec.md", "a/spec.md", "c/spec.md"],
            "completion_ratio": [0.0, 0.6, 0.86],
        }
    )
    fig = kpi_charts.completion(completion)
    (bar,) = fig.data
    assert bar.type == "bar" and list(bar.x) == ["a/spec.md", "b/spec.md", "c/spec.md"]
    assert fig.layout.yaxis.tickformat == ".0%" and fig.layout.yaxis.range[0] == 0
    assert "2026-05-20" in fig.layout.title.text


def test_completion_over_days_draws_markers() -> None:
    completion = pd.DataFrame(
        {
            "snapshot_date": [DAY, date(2026, 5, 21)],
            "spec_id": ["a/spec.md"] * 2,
            "completion_ratio": [0.5, 0.6],
        }
    )
    fig = kpi_charts.completion(completion)
    assert fig.data[0].type == "scatter" and "markers" in fig.data[0].mode
