"""KPI & costs: the dbt marts with a date range and filters, cost breakdown, budget burn-down,
workflows, retrieval and spec completion, each exportable as CSV."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from agentops_pipelines.observability import configure_json_logging, json_logs_enabled
from agentops_pipelines.observability.context import set_correlation_id
from streamlit_app import access, kpi_charts, kpi_data

BREAKDOWNS = ["provider", "model", "task_type", "spec", "workspace"]


def _csv(data: bytes, name: str, key: str) -> None:
    st.download_button(
        f"Export {name} (CSV)", data, file_name=f"{name}.csv", mime="text/csv", key=key
    )


def _rate(num: float, den: float) -> str:
    return f"{num / den:.1%}" if den else "n/a"


def render_costs(cost: pd.DataFrame, csv: bytes) -> None:
    if cost.empty:
        st.info("No LLM calls in this range.")
        return
    by = st.selectbox("Break cost down by", BREAKDOWNS, key="kpi_breakdown")
    daily = cost.groupby(["call_date", by], as_index=False)["cost_usd"].sum()
    st.plotly_chart(
        kpi_charts.cost_per_day(daily, by),
        key="kpi_cost_chart",
    )
    totals = (
        cost.groupby(by, as_index=False)[["calls", "cache_hits", "errors", "cost_usd"]]
        .sum()
        .sort_values("cost_usd", ascending=False)
    )
    st.dataframe(totals, hide_index=True, width="stretch")
    _csv(csv, "llm_cost_daily", "kpi_csv_cost")


def render_budgets(burndown: pd.DataFrame) -> None:
    budgeted = burndown[burndown["limit_usd"].notna()] if not burndown.empty else burndown
    if budgeted.empty:
        st.info("No workspace budget set (the router's `set_budget('workspace', ...)`).")
        return
    st.plotly_chart(kpi_charts.budget_remaining(budgeted), key="kpi_budget_chart")
    latest = budgeted.sort_values("call_date").groupby("workspace").tail(1)
    st.dataframe(
        latest[["workspace", "spent_to_date_usd", "limit_usd", "remaining_usd", "pct_used"]],
        hide_index=True,
        width="stretch",
    )
    _csv(budgeted.to_csv(index=False).encode(), "budget_burndown", "kpi_csv_budget")


def render_workflows(runs: pd.DataFrame) -> None:
    if runs.empty:
        st.info("No workflow runs in this range.")
        return
    c1, c2 = st.columns(2)
    c1.metric("Success rate", _rate(runs["succeeded"].sum(), runs["finished"].sum()))
    c2.metric("Runs", int(runs["runs"].sum()))
    st.plotly_chart(
        kpi_charts.runs_per_day(runs),
        key="kpi_runs_chart",
    )
    st.dataframe(runs, hide_index=True, width="stretch")
    _csv(runs.to_csv(index=False).encode(), "workflow_daily", "kpi_csv_runs")


def render_retrieval(rag: pd.DataFrame) -> None:
    if rag.empty:
        st.info("No searches in this range.")
        return
    c1, c2 = st.columns(2)
    c1.metric("Failure rate (no result)", _rate(rag["failures"].sum(), rag["queries"].sum()))
    c2.metric("Worst daily p95 (ms)", f"{rag['latency_p95_ms'].max():.1f}")
    long = rag.melt(id_vars=["query_date", "mode"], value_vars=["latency_p50_ms", "latency_p95_ms"])
    st.plotly_chart(kpi_charts.latency(long), key="kpi_rag_chart")
    _csv(rag.to_csv(index=False).encode(), "rag_daily", "kpi_csv_rag")


def render_specs(completion: pd.DataFrame, per_req: pd.DataFrame, ttfw: pd.DataFrame) -> None:
    if not completion.empty:
        st.plotly_chart(kpi_charts.completion(completion), key="kpi_completion_chart")
    st.markdown("**Cost per completed requirement**")
    st.dataframe(per_req, hide_index=True, width="stretch")
    st.markdown("**Time to first workflow**")
    st.dataframe(ttfw, hide_index=True, width="stretch")
    _csv(per_req.to_csv(index=False).encode(), "cost_per_requirement", "kpi_csv_req")


def render_delivery(accept: pd.DataFrame, prs: pd.DataFrame, market: pd.DataFrame) -> None:
    st.markdown("**Suggestion acceptance (by feature and template)**")
    if accept.empty:
        st.info("No assistant suggestions in this range.")
    else:
        by = accept.groupby(["feature", "template"], as_index=False)[
            ["suggestions", "decided", "accepted"]
        ].sum()
        by["acceptance_rate"] = by["accepted"] / by["decided"].where(by["decided"] > 0)
        st.dataframe(by, hide_index=True, width="stretch")
    st.markdown("**Pull requests**")
    if prs.empty:
        st.info("No change proposals in this range.")
    else:
        st.metric(
            "PR creation success rate",
            _rate(prs["prs_created"].sum(), prs["push_attempts"].sum()),
        )
        st.dataframe(prs, hide_index=True, width="stretch")
    st.markdown("**Marketplace**")
    if market.empty:
        st.info("No marketplace activity in this range.")
    else:
        st.plotly_chart(kpi_charts.marketplace(market), key="kpi_market_chart")
        st.metric("Revenue", f"{market['revenue'].sum():.2f}")
        _csv(market.to_csv(index=False).encode(), "marketplace_daily", "kpi_csv_market")


def main() -> None:
    st.session_state.setdefault("kpi_correlation_id", uuid.uuid4().hex)
    set_correlation_id(st.session_state["kpi_correlation_id"])
    if json_logs_enabled():
        configure_json_logging("streamlit")
    access.require_page(__file__)  # the role auth.policy.PAGES declares
    st.title("KPI & costs")
    path = kpi_data.warehouse_path()
    mtime = kpi_data.warehouse_mtime(path)
    try:
        marts = set(kpi_data.load_available(path, mtime))
        bounds = kpi_data.load_date_range(path, mtime) if marts else None
    except kpi_data.WarehouseLocked as err:
        st.warning(f"The warehouse is being refreshed right now; reload in a moment. ({err})")
        return
    if not marts:
        st.info(
            f"No KPI data yet: the warehouse {path} has no marts. Materialise `warehouse_job` "
            "for a day, then `metrics_job` (dbt build), in Dagster; the nightly schedules do "
            "this automatically."
        )
        return
    today = datetime.now(UTC).date()
    first, last = bounds or (today - timedelta(days=6), today)
    picked = st.date_input("Date range", value=(max(first, last - timedelta(days=29)), last))
    start, end = (picked[0], picked[-1]) if isinstance(picked, tuple) and picked else (first, last)

    def mart(name: str, dated: bool = True) -> pd.DataFrame:
        if name not in marts:
            return pd.DataFrame()
        if dated:
            return kpi_data.load_mart(path, mtime, name, start, end)
        return kpi_data.load_mart(path, mtime, name)

    cost = mart("fct_llm_cost_daily")
    f1, f2 = st.columns(2)
    workspaces = f1.multiselect(
        "Workspace", sorted(cost["workspace"].unique()) if len(cost) else []
    )
    providers = f2.multiselect("Provider", sorted(cost["provider"].unique()) if len(cost) else [])
    cost = kpi_data.filter_frame(cost, workspace=workspaces, provider=providers)
    savings = cost["cache_savings_usd"].sum() if len(cost) else 0.0
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("LLM cost (USD)", f"{cost['cost_usd'].sum() if len(cost) else 0:.4f}")
    m2.metric("LLM calls", int(cost["calls"].sum()) if len(cost) else 0)
    m3.metric("Cache savings (USD)", f"{savings:.4f}")
    m4.metric("Errors", int(cost["errors"].sum()) if len(cost) else 0)
    tabs = st.tabs(
        ["Costs", "Budgets", "Workflows", "Retrieval", "Specs & workspaces", "Delivery & market"]
    )
    with tabs[0]:
        filters = (("workspace", tuple(workspaces)), ("provider", tuple(providers)))
        render_costs(
            cost, kpi_data.mart_csv(path, mtime, "fct_llm_cost_daily", start, end, filters)
        )
    with tabs[1]:
        burndown = kpi_data.filter_frame(mart("fct_budget_burndown"), workspace=workspaces)
        render_budgets(burndown)
    with tabs[2]:
        render_workflows(mart("fct_workflow_daily"))
    with tabs[3]:
        render_retrieval(mart("fct_rag_daily"))
    with tabs[4]:
        render_specs(
            mart("fct_spec_completion_daily"),
            mart("fct_cost_per_requirement", dated=False),
            kpi_data.filter_frame(
                mart("fct_time_to_first_workflow", dated=False), workspace=workspaces
            ),
        )
    with tabs[5]:
        render_delivery(
            mart("fct_suggestion_acceptance"), mart("fct_pr_daily"), mart("fct_marketplace_daily")
        )
    st.caption(f"Warehouse {path}, built {datetime.fromtimestamp(mtime, UTC):%Y-%m-%d %H:%M} UTC")


main()
