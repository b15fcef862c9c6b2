"""The "Pull request reviews" section of the Git page: per PR its review verdict, the
requirements it touches, the findings on their diff lines, and its test and completion delta."""

from __future__ import annotations

import streamlit as st

from agentops_pipelines.review.models import ReviewReport
from agentops_pipelines.review.render import completion_lines


def _delta_row(report: ReviewReport) -> dict[str, object]:
    tests = report.tests
    return {
        "ran": tests.ran,
        "newly failing": len(tests.newly_failing),
        "newly passing": len(tests.newly_passing),
        "flaky": len(tests.flaky),
        "gone": len(tests.disappeared),
        "note": tests.reason,
    }


def render_review(report: ReviewReport) -> None:
    verdict = "flagged" if report.flagged else "clean"
    label = f"{report.key} · {report.head_sha[:12]} · {verdict}"
    if report.must_regressed:
        label += f" · MUST regressed: {', '.join(report.must_regressed)}"
    with st.expander(label, expanded=report.flagged):
        findings, requirements, tests = st.tabs(["Findings", "Requirements", "Tests"])
        with findings:
            rows = [
                {
                    "severity": f.severity,
                    "kind": f.kind,
                    "file": f.file,
                    "line": f.line if f.line is not None else f"-{f.old_line}",
                    "position": f.position,
                    "requirement": f.requirement_id or "",
                    "message": f.message,
                }
                for f in report.findings
            ]
            if rows:
                st.dataframe(rows, hide_index=True, width="stretch")
            else:
                st.caption("No finding.")
        with requirements:
            if report.requirements:
                st.dataframe(
                    [
                        {
                            "requirement": r.id,
                            "spec": r.spec_id,
                            "MUST": r.must,
                            "tests in PR": len(r.tests_in_pr),
                            "uncovered criteria": ", ".join(r.uncovered_criteria),
                            "why": "; ".join(r.via[:3]),
                        }
                        for r in report.requirements
                    ],
                    hide_index=True,
                    width="stretch",
                )
            else:
                st.caption("The change touches no requirement.")
        with tests:
            st.dataframe([_delta_row(report)], hide_index=True, width="stretch")
            for name in report.tests.newly_failing:
                st.markdown(f"- newly failing: `{name}`")
            for line in completion_lines(report):
                st.markdown(line)


def render_reviews(reports: list[ReviewReport]) -> None:
    st.subheader("Pull request reviews")
    if not reports:
        st.caption("No pull request reviewed yet: open a PR on a linked repository.")
        return
    flagged = sum(r.flagged for r in reports)
    st.caption(f"{len(reports)} reviewed, {flagged} flagged")
    for report in reports:
        render_review(report)
