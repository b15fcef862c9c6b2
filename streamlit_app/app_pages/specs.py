"""Specs: every ingested spec document, its checks, requirements and last change."""

from __future__ import annotations

import streamlit as st

from agentops_pipelines.specs.checks import run_all_checks
from agentops_pipelines.specs.criteria import needs_own_criteria
from agentops_pipelines.specs.models import SpecDocument
from streamlit_app import access, data, views

_STATUS_BOX = {"pass": st.success, "warn": st.warning, "fail": st.error}


def render_detail(doc: SpecDocument) -> None:
    st.subheader(doc.title)
    st.caption(views.source_caption(doc))
    status = data.downstream_status(doc.spec_id)
    if status is not None and status.stale:  # plan/QA/PR older than this text: say so
        st.warning(status.banner())
        if status.failure is not None and st.button("Retry", key="spec_retry"):
            try:
                run_id = data.retry_spec(doc.spec_id)
            except Exception as err:  # noqa: BLE001 - webserver down or not reachable
                st.error(
                    f"Could not queue a new run ({type(err).__name__}: {err}); is the Dagster "
                    "webserver up (AGENTOPS_DAGSTER_URL, default http://127.0.0.1:3000)?"
                )
            else:
                st.success(f"Queued run {run_id[:8]} for {doc.spec_id}; the daemon launches it.")
    checks_tab, reqs_tab, diff_tab = st.tabs(["Checks", "Requirements", "Last change"])
    with checks_tab:
        for view in map(views.check_view, run_all_checks(doc)):
            _STATUS_BOX[view.status](view.message)
        if doc.findings:
            st.dataframe([f.model_dump() for f in doc.findings], hide_index=True, width="stretch")
    with reqs_tab:
        st.dataframe(views.requirement_rows(doc), hide_index=True, width="stretch")
        for req in doc.requirements:
            with st.expander(f"{req.id} · {views.requirement_label(req)}"):
                st.markdown(req.text)
                if req.acceptance_criteria:
                    st.markdown(
                        "\n".join(f"- `{ac.id}` {ac.text}" for ac in req.acceptance_criteria)
                    )
                if not req.acceptance_criteria and needs_own_criteria(doc.format, req):
                    st.warning(f"{req.id} has no acceptance criteria")
                elif not req.acceptance_criteria:
                    st.caption(views.NO_OWN_CRITERIA.get(doc.format, ""))
                for text in req.clarifications:
                    st.info(f"Needs clarification: {text}")
    with diff_tab:
        for line in views.diff_lines(doc.diff):
            st.markdown(line)
        changes = views.diff_rows(doc)
        if changes:
            st.dataframe(changes, hide_index=True, width="stretch", key="spec_diff_rows")


def render_search() -> None:
    with st.expander("Search the specs", expanded=False):
        query = st.text_input("Query", key="spec_search_query", placeholder="e.g. rate limits")
        if query.strip():
            try:
                rows = data.search_specs(query.strip())
            except Exception as err:  # the index may not be built yet; say so, keep the page
                st.error(f"Search is unavailable: {err}. Materialise search_index first.")
                return
            if rows:
                st.dataframe(rows, hide_index=True, width="stretch")
            else:
                st.info("No match in the indexed specs.")


access.require_page(__file__)  # the role auth.policy.PAGES declares, checked here too
st.title("Specs")
render_search()
loaded = data.load_spec_documents(data.artefact_root())
for problem in loaded.unreadable:
    st.error(problem)
if not loaded.documents:
    st.info(views.EMPTY_STATE.format(root=loaded.root))
    st.stop()

formats = sorted({d.format.value for d in loaded.documents})
chosen = st.multiselect("Format", formats, default=formats)
docs = views.filter_by_format(loaded.documents, chosen)
rows = [views.spec_row(d, run_all_checks(d)) for d in docs]
st.dataframe(rows, hide_index=True, width="stretch")
if not docs:
    st.info("No spec matches the chosen formats.")
    st.stop()

by_id = {d.spec_id: d for d in docs}
selected = st.selectbox("Spec", list(by_id), format_func=lambda key: f"{by_id[key].title} ({key})")
render_detail(by_id[selected])
