"""LLM routing: circuit breakers per provider, the human review queue (resolve with an answer or
dismiss with a reason), budgets and their burn, and the recent cost ledger."""

from __future__ import annotations

import json

import streamlit as st

from streamlit_app import access, llm_data

access.require_page(__file__)  # the role auth.policy.PAGES declares, checked here too
st.title("LLM routing")
url, policy_file = llm_data.db_url(), llm_data.policy_path()
overview = llm_data.load_overview(url, policy_file)

cols = st.columns(4)
cols[0].metric("Provider calls", overview.total_calls)
cols[1].metric("Cost (USD)", f"{overview.total_cost_usd:.4f}")
cols[2].metric("Cache hits", overview.cache_hits)
cols[3].metric("Open review items", len(overview.open_reviews))

st.subheader("Circuit breakers")
st.caption(
    "Shared by every process through the app store: a provider opened by a Dagster run is "
    "skipped by the API and this app too, until its cooldown lets one half-open probe through."
)
st.dataframe(overview.breakers, hide_index=True, width="stretch", key="llm_breakers")


def render_review(item: dict) -> None:
    item_id = item["id"]
    label = (
        f"#{item_id} · {item['task_type']} · {item['spec'] or '-'} · run {item['run_id'] or '-'}"
    )
    with st.expander(label, expanded=True):
        st.markdown(f"**Why it is here:** {item['reason']}")
        st.caption("Request messages")
        st.code(json.dumps(item["messages"], indent=2), language="json")
        if item["last_output"]:
            st.caption("Last model output (rejected)")
            st.code(item["last_output"], language="json")
        with st.form(f"review-{item_id}"):
            reviewer = st.text_input("Reviewer", key=f"reviewer-{item_id}")
            answer = st.text_area("Answer (JSON matching the task schema)", key=f"answer-{item_id}")
            reason = st.text_input("Reason (to dismiss)", key=f"reason-{item_id}")
            resolve = st.form_submit_button("Resolve with answer", key=f"resolve-{item_id}")
            dismiss = st.form_submit_button("Dismiss", key=f"dismiss-{item_id}")
        if not (resolve or dismiss):
            return
        if not reviewer.strip():
            st.error(f"Review item {item_id}: enter the reviewer's name, then submit again.")
            return
        try:
            if resolve:
                llm_data.resolve(url, policy_file, item_id, answer, reviewer.strip())
            else:
                llm_data.dismiss(url, item_id, reason, reviewer.strip())
        except (KeyError, ValueError) as err:
            st.error(str(err).strip("'\""))
            return
        st.success(f"Review item {item_id} {'resolved' if resolve else 'dismissed'}.")
        st.rerun()


st.subheader("Human review queue")
if overview.open_reviews:
    for review_item in overview.open_reviews:
        render_review(review_item)
else:
    st.info("No open review items: every request was answered by a model.")
if overview.handled_reviews:
    with st.expander(f"Handled items ({len(overview.handled_reviews)})"):
        st.dataframe(
            [
                {k: i[k] for k in ("id", "status", "task_type", "resolved_by", "resolved_at")}
                | {"answer / reason": i["answer"] or i["resolution_note"]}
                for i in overview.handled_reviews
            ],
            hide_index=True,
            width="stretch",
            key="llm_handled",
        )

st.subheader("Budgets")
if overview.budgets:
    st.dataframe(
        overview.budgets,
        hide_index=True,
        width="stretch",
        key="llm_budgets",
        column_config={
            "burn": st.column_config.ProgressColumn("burn", min_value=0.0, max_value=1.0)
        },
    )
else:
    st.info("No budget set: `Router.set_budget(scope, key, limit_usd)` adds one.")

st.subheader("Recent calls")
if overview.recent_calls:
    columns = (
        "at", "provider", "model", "task_type", "spec", "run_id", "outcome", "error_class",
        "tokens_in", "tokens_out", "cost_usd", "latency_ms", "cache_hit",
    )  # fmt: skip
    st.dataframe(
        [{c: call[c] for c in columns} for call in overview.recent_calls],
        hide_index=True,
        width="stretch",
        key="llm_calls",
    )
else:
    st.info("No LLM call recorded yet.")
