"""QA dashboard: completion over time, risk heat map, traceability with evidence, discrepancies."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from streamlit_app import access, qa_data
from streamlit_app import data as spec_data

access.require_page(__file__)  # the role auth.policy.PAGES declares, checked here too
st.title("QA dashboard")
loaded = qa_data.load_qa(spec_data.artefact_root())
for problem in loaded.unreadable:
    st.error(problem)
if not loaded.scores:
    st.info(
        "No QA scores yet. Run `make demo` (the sample specs are linked to sample repos in "
        "config/code_links.yaml), materialise `qa_scores` in Dagster, or try "
        "`agentops qa --spec PATH --repo PATH` on any repository."
    )
    st.stop()

st.dataframe(qa_data.overview_rows(loaded), hide_index=True, width="stretch")

history = qa_data.history_rows(loaded)
if history:
    figure = go.Figure()
    for spec in sorted({row["spec"] for row in history}):
        points = [row for row in history if row["spec"] == spec]
        figure.add_trace(
            go.Scatter(
                x=[p["time"] for p in points],
                y=[p["completion"] for p in points],
                mode="lines+markers",
                name=spec,
            )
        )
    figure.update_layout(
        title="Spec completion over time (%)", yaxis_range=[0, 100], height=320, margin_t=40
    )
    st.plotly_chart(figure, key="completion_history")

spec_id = st.selectbox("Spec", sorted(loaded.scores), key="qa_spec")
scores = loaded.scores[spec_id]
results = loaded.results.get(spec_id)
st.metric("Spec Completion Score", f"{scores.completion_score:.0%}")
if results is not None:
    st.caption(
        f"tests run {results.created_at} · repo {results.repo or '-'} · "
        f"commit {(results.commit or '-')[:12]} · {len(results.records)} results"
    )

factors, ids, levels, hover = qa_data.heatmap_matrix(scores)
if ids:
    heat = go.Figure(
        go.Heatmap(
            z=levels,
            x=factors,
            y=ids,
            text=hover,
            hovertemplate="%{y}<br>%{text}<extra></extra>",
            zmin=0,
            zmax=3,
            colorscale=[[0, "#e8f5e9"], [0.34, "#fff59d"], [0.67, "#ffb74d"], [1, "#e53935"]],
        )
    )
    heat.update_layout(title="Risk heat map", height=max(300, 28 * len(ids)), margin_t=40)
    heat.update_yaxes(autorange="reversed")
    st.plotly_chart(heat, key="risk_heatmap")

st.subheader("Traceability")
st.dataframe(qa_data.traceability_rows(scores), hide_index=True, width="stretch")
requirement_id = st.selectbox(
    "Evidence for requirement", [r.id for r in scores.requirements], key="qa_requirement"
)
requirement = scores.requirement(requirement_id)
if requirement is not None:
    claim = f" · claimed {requirement.claimed} in tasks.md" if requirement.claimed else ""
    st.markdown(f"**{requirement.id}** · {requirement.status}{claim} · {requirement.title}")
    if not requirement.tests:
        st.warning(f"{requirement.id} has no linked test")
    for test in requirement.tests:
        with st.expander(f"{test.test_id} · {test.result}"):
            st.markdown(f"Linked by `{test.link_kind}` in `{test.file}` line {test.line or '-'}")
            case = qa_data.junit_case(test.evidence, test.test_id)
            if case:
                st.json(case)
            if test.evidence:
                st.caption(f"JUnit evidence: {test.evidence}")
    if results is not None:
        for run in results.runs:
            with st.expander(f"Log of the {run.origin} run (exit {run.exit_code})"):
                st.code(qa_data.log_tail(run.log) or run.stdout_tail, language="text")

st.subheader("Open discrepancies")
discrepancies = qa_data.discrepancy_rows(scores)
if discrepancies:
    st.dataframe(discrepancies, hide_index=True, width="stretch")
else:
    st.success("No rule violations, orphan links or problems.")
