"""SpecGPT: ask the specs (cited answers, also of the linked code and tests), review ambiguity
findings, accept or reject suggested changes (through the Git page's approval where the spec
repository is linked), read summaries and the acceptance rate."""

from __future__ import annotations

import streamlit as st

from agentops_pipelines.assistant.ask import Answer
from agentops_pipelines.assistant.review import ReviewError
from agentops_pipelines.assistant.safety import SpecGPTRefusal
from agentops_pipelines.assistant.specgpt import SpecReview
from agentops_pipelines.assistant.suggestion_store import Suggestion
from streamlit_app import access
from streamlit_app import assistant_data as data

access.require_page(__file__)  # the role auth.policy.PAGES declares, checked here too
st.title("SpecGPT")
cfg = data.config()
user = st.sidebar.text_input("Reviewer", value="reviewer", key="specgpt_user").strip() or "reviewer"

if not data.load_enabled(cfg):
    st.warning(
        "SpecGPT is switched off for this workspace. An admin can enable it in the workspace "
        "settings (feature 'specgpt') or unset AGENTOPS_SPECGPT_ENABLED."
    )
    st.stop()

reviews = data.load_reviews(cfg)
by_id = {r.document.spec_id: r for r in reviews}
params = st.query_params
if params.get("spec") in by_id and "specgpt_spec" not in st.session_state:
    st.session_state["specgpt_spec"] = params["spec"]
focus = params.get("at")


def render_answer(question: str, answer: Answer) -> None:
    with st.chat_message("user"):
        st.write(question)
    with st.chat_message("assistant"):
        if not answer.found:
            st.markdown("**not found in the specs**")
            return
        for claim in answer.claims:
            st.markdown(f"{claim.text} " + " ".join(_cite(answer, n) for n in claim.citations))
        cited = sorted({n for c in answer.claims for n in c.citations})
        st.caption("Sources")
        for n in cited:
            source = answer.sources[n - 1]
            if source.kind == "spec":
                st.markdown(f"[{n}] [{source.label}]({_link(answer, n)})")
            else:  # code/test of the linked repository: no spec section to link to
                st.markdown(f"{answer.citation(n)} `{source.label}` · {source.repo}")
        st.caption(f"template {answer.template} · model {answer.model}")


def _cite(answer: Answer, n: int) -> str:
    """Spec citations link to the spec section; code/test ones read `[n:test]`."""
    if answer.sources[n - 1].kind != "spec":
        return f"`{answer.citation(n)}`"
    return f"[[{n}]]({_link(answer, n)})"


def _link(answer: Answer, n: int) -> str:
    source = answer.sources[n - 1]
    anchor = source.requirement_ids[0] if source.requirement_ids else source.section
    return data.source_link(source.spec_id, anchor)


def render_findings(review: SpecReview) -> None:
    structural = [g for g in review.gaps if g.kind != "ambiguity"]
    ambiguous = [g for g in review.gaps if g.kind == "ambiguity"]
    st.markdown(
        f"**{len(structural)} gaps**, **{len(ambiguous)} requirements with ambiguous wording**"
    )
    for gap in structural:
        st.warning(f"{gap.kind}: {gap.message}")
    if ambiguous:
        rows = [
            {
                "requirement": g.requirement_id or "",
                "smell": f.smell,
                "trigger": ", ".join(f.trigger_words),
                "rewrite": f.suggested_rewrite,
            }
            for g in ambiguous
            for f in g.findings
        ]
        st.dataframe(rows, hide_index=True, width="stretch")
    with st.expander("Spec text with findings highlighted", expanded=bool(focus)):
        st.markdown(data.highlighted_html(review, focus), unsafe_allow_html=True)


def render_card(s: Suggestion) -> None:
    with st.container(border=True):
        st.markdown(f"**#{s.id} {s.title}** · `{s.kind}`")
        st.caption(f"template {s.template} ({s.template_version}) · model {s.model}")
        st.code(s.diff, language="diff")
        if s.status == "pending_approval":
            state = f" (now {s.proposal_status})" if s.proposal_status else ""
            st.info(
                f"accepted by {s.decided_by}; waiting for approval as Git change "
                f"#{s.proposal_id}{state}: a reviewer approves it on the Git page"
            )
            return
        if s.status != "proposed":
            who = f" by {s.decided_by}" if s.decided_by else ""
            st.info(f"{s.status}{who}" + (f": {s.reason}" if s.reason else ""))
            return
        accept_col, reject_col = st.columns(2)
        if accept_col.button("Accept", key=f"accept-{s.id}", type="primary"):
            try:
                outcome = data.specgpt(cfg).accept(s.id, user)
                st.session_state["specgpt_flash"] = outcome.message
            except (ReviewError, SpecGPTRefusal) as err:
                st.session_state["specgpt_flash"] = f"Not applied: {err}"
            data.clear_after_write()
            st.rerun()
        reason = reject_col.text_input("Reason for rejecting", key=f"reason-{s.id}")
        if reject_col.button("Reject", key=f"reject-{s.id}"):
            try:
                data.specgpt(cfg).reject(s.id, user, reason)
                st.session_state["specgpt_flash"] = f"Rejected #{s.id}"
                data.clear_after_write()
                st.rerun()
            except ReviewError as err:
                reject_col.error(str(err))


if not reviews:
    st.info("No specs ingested yet: run `agentops ingest` to parse the spec workspace.")
    spec_id = None
else:
    spec_id = st.selectbox(
        "Spec",
        options=list(by_id),
        format_func=lambda key: f"{by_id[key].document.title} ({key})",
        key="specgpt_spec",
    )

ask_tab, findings_tab, suggestions_tab, summary_tab, feedback_tab = st.tabs(
    ["Ask", "Findings", "Suggestions", "Summaries", "Feedback"]
)

with ask_tab:
    history: list[tuple[str, Answer]] = st.session_state.setdefault("specgpt_chat", [])
    with st.form("specgpt_ask", clear_on_submit=True):
        question = st.text_input(
            "Question", placeholder="How long are invoices kept?", key="specgpt_question"
        )
        submitted = st.form_submit_button("Ask")
    if submitted and question.strip():
        try:
            history.append((question, data.specgpt(cfg).ask(question, user)))
        except SpecGPTRefusal as refusal:
            st.error(str(refusal))
        except Exception as err:  # retrieval not built yet, backend down: say so, keep the page
            st.error(
                f"Search failed ({type(err).__name__}: {err}); is the search_index asset "
                "materialised? Run `agentops ingest`."
            )
    for asked, answer in reversed(history):
        render_answer(asked, answer)

flash = st.session_state.pop("specgpt_flash", None)
if flash:
    st.toast(flash)
    suggestions_tab.success(flash)

if spec_id:
    review = by_id[spec_id]
    with findings_tab:
        render_findings(review)
    with suggestions_tab:
        if st.button("Generate suggestions", key="specgpt_generate"):
            try:
                made = data.specgpt(cfg).suggest(spec_id, user)
            except SpecGPTRefusal as refusal:
                st.error(str(refusal))
            else:
                if made:
                    st.success(f"{len(made)} suggestion(s) to review below.")
                else:
                    st.info(
                        "Nothing to suggest for this spec: SpecGPT found no gap it can draft a "
                        "fix for (missing acceptance criteria, open clarifications, vague "
                        "wording). The Findings tab lists what it checked."
                    )
            data.clear_after_write()
        suggestions = data.load_suggestions(cfg, spec_id)
        if not suggestions:
            st.info("No suggestions for this spec yet: press 'Generate suggestions'.")
        for s in [s for s in suggestions if s.status == "proposed"]:
            render_card(s)
        for s in [s for s in suggestions if s.status == "pending_approval"]:
            render_card(s)
        decided = [s for s in suggestions if s.status not in ("proposed", "pending_approval")]
        if decided:
            with st.expander(f"Decided ({len(decided)})"):
                for s in decided:
                    render_card(s)
    with summary_tab:
        left, right = st.columns(2)
        kind = None
        if left.button("Summarise spec", key="specgpt_sum_spec"):
            kind = False
        if right.button("Summarise last change", key="specgpt_sum_change"):
            kind = True
        if kind is not None:
            try:
                summary = data.specgpt(cfg).summarize(spec_id, user, change=kind)
                st.markdown(summary.text)
                st.caption(f"template {summary.template} · model {summary.model}")
            except SpecGPTRefusal as refusal:
                st.error(str(refusal))

with feedback_tab:
    rates, usage = data.load_feedback(cfg)
    if rates:
        st.dataframe(
            [
                {**r.model_dump(), "acceptance_rate": None if r.rate is None else round(r.rate, 3)}
                for r in rates
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.info("No decisions yet: accepted/rejected suggestions show up here.")
    if usage:
        st.dataframe(usage, hide_index=True, width="stretch")
