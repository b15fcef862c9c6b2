"""Plan builder: pick or paste a spec, choose a template and stack, preview plan and task DAG."""

from __future__ import annotations

import streamlit as st

from agentops_pipelines.artefacts import artefact_root_for
from agentops_pipelines.planning import (
    TEMPLATES,
    PlanInputError,
    TaskGraphError,
    build_plan,
    build_task_graph,
    graph_to_dot,
    graph_to_json,
    graph_to_markdown,
    plan_to_json,
    plan_to_markdown,
    suggest_template,
)
from agentops_pipelines.planning.models import StackChoice
from agentops_pipelines.planning.spec_input import (
    load_spec_document,
    parse_spec_text,
    stored_spec_ids,
)
from agentops_pipelines.planning.stack import CATEGORIES, select_stack
from agentops_pipelines.settings import get_settings
from agentops_pipelines.store.acting_workspace import active_workspace
from streamlit_app import access

DOT_TASK_LIMIT = 300  # beyond this the graph drawing is unreadable and slow

settings = get_settings()
access.require_page(__file__)  # the role auth.policy.PAGES declares, checked here too
artefacts = artefact_root_for(settings.artefact_root, settings.workspace, active_workspace())
st.title("Plan builder")

source = st.radio("Spec", ["Stored spec", "Paste markdown"], horizontal=True)
doc = None
try:
    if source == "Stored spec":
        spec_ids = stored_spec_ids(artefacts)
        if not spec_ids:
            st.info("No parsed specs yet: materialise spec_document, or paste markdown instead.")
        else:
            chosen_id = st.selectbox("Stored spec", spec_ids)
            doc = load_spec_document(artefacts, chosen_id)
    else:
        name = st.text_input("Spec name", value="pasted/spec.md")
        text = st.text_area("Spec markdown", height=240)
        if text.strip():
            doc = parse_spec_text(name, text)
except (PlanInputError, ValueError) as err:
    st.error(str(err))

if doc is None:
    st.stop()

st.caption(f"{doc.title}: {len(doc.requirements)} requirements, format {doc.format}")
template_ids = list(TEMPLATES)
suggested = suggest_template(doc)
template_id = st.selectbox(
    "Template",
    template_ids,
    index=template_ids.index(suggested),
    format_func=lambda t: f"{TEMPLATES[t].title} - {TEMPLATES[t].description}",
    help=f"Suggested for this spec: {suggested}",
)

st.subheader("Stack")
choices: dict[str, str] = {}
ranked: dict[str, StackChoice] = {c.category: c for c in select_stack(doc, template_id)}
columns = st.columns(len(CATEGORIES))
for column, category in zip(columns, CATEGORIES, strict=True):
    ranking = ranked[category]
    options = {o.id: o for o in [ranking.chosen, *ranking.alternatives]}
    labels = {oid: f"{o.label} ({o.score:g})" for oid, o in options.items()}
    with column:
        pick: str = (
            st.selectbox(
                category.capitalize(),
                list(options),
                format_func=labels.__getitem__,
                key=f"stack-{category}",
            )
            or ranking.chosen.id
        )
        st.caption("; ".join(options[pick].reasons))
        if pick != ranking.chosen.id:
            choices[category] = pick

try:
    plan = build_plan(doc, template_id, stack_choices=choices or None)
    graph = build_task_graph(plan)
except (PlanInputError, TaskGraphError) as err:
    st.error(str(err))
    st.stop()

st.metric("Tasks", len(graph.tasks))
st.caption(f"Task graph sha256 `{graph.hash}`")
plan_tab, graph_tab, checklist_tab = st.tabs(["Plan", "Task DAG", "Checklist"])
with plan_tab:
    st.markdown(plan_to_markdown(plan))
with graph_tab:
    if len(graph.tasks) <= DOT_TASK_LIMIT:
        st.graphviz_chart(graph_to_dot(graph))
    else:
        st.info(f"{len(graph.tasks)} tasks are too many to draw; see the checklist.")
    st.dataframe(
        [
            {"level": t.level, "task": t.id, "type": str(t.type), "parallel": t.parallel}
            for t in graph.tasks
        ],
        hide_index=True,
    )
with checklist_tab:
    st.markdown(graph_to_markdown(graph))

stem = plan.spec_id.replace("/", "_")
left, mid, right = st.columns(3)
left.download_button("Plan JSON", plan_to_json(plan), f"{stem}.plan.json", "application/json")
mid.download_button("Plan Markdown", plan_to_markdown(plan), f"{stem}.plan.md", "text/markdown")
right.download_button(
    "Task graph JSON", graph_to_json(graph), f"{stem}.tasks.json", "application/json"
)
