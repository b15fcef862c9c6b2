"""The review as GitHub sees it: a body with a hidden marker, inline comments at diff positions,
and the check run's title, summary and conclusion.

The marker (`<!-- agentops-review ... -->`) names the PR, head commit and a digest of the
content, so a re-run can find its own review among everyone's and tell whether anything changed.
"""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel

from agentops_pipelines.review.models import Finding, ReviewReport

MARKER = "agentops-review"
CHECK_NAME = "AgentOps spec review"
_MARKER_RE = re.compile(
    r"<!-- agentops-review key=(\S+) head=([0-9a-f]+) digest=([0-9a-f]+)(?: state=(\w+))? -->"
)
_ICONS = {"error": "🔴", "warning": "🟠", "notice": "🔵"}


class InlineComment(BaseModel):
    path: str
    position: int
    body: str


class Marker(BaseModel):
    key: str
    head: str
    digest: str
    state: str = "live"


def parse_marker(body: str | None) -> Marker | None:
    match = _MARKER_RE.search(body or "")
    if not match:
        return None
    return Marker(key=match[1], head=match[2], digest=match[3], state=match[4] or "live")


def marker_line(key: str, head: str, digest: str, state: str = "live") -> str:
    return f"<!-- {MARKER} key={key} head={head} digest={digest} state={state} -->"


def _comment_body(finding: Finding) -> str:
    req = f" · {finding.requirement_id}" if finding.requirement_id else ""
    return (
        f"{_ICONS[finding.severity]} **{finding.kind.replace('_', ' ')}**{req}\n\n{finding.message}"
    )


def inline_comments(report: ReviewReport) -> list[InlineComment]:
    """One comment per diff position (findings on the same line are merged)."""
    by_place: dict[tuple[str, int], list[Finding]] = {}
    for finding in report.findings:
        if finding.position is not None:
            by_place.setdefault((finding.file, finding.position), []).append(finding)
    return [
        InlineComment(
            path=path, position=position, body="\n\n---\n\n".join(_comment_body(f) for f in found)
        )
        for (path, position), found in sorted(by_place.items())
    ]


def completion_lines(report: ReviewReport) -> list[str]:
    lines = []
    for item in report.completion:
        how = "measured" if item.measured else "from trace links"
        sign = "+" if item.delta >= 0 else ""
        lines.append(
            f"- `{item.spec_id}`: {item.base:.0%} → {item.head:.0%} "
            f"({sign}{item.delta * 100:.1f} pts, {how})"
            + (f"; no longer done: {', '.join(item.regressed)}" if item.regressed else "")
        )
    return lines


def summary(report: ReviewReport) -> str:
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in _ICONS}
    delta = report.tests
    parts = [
        f"**{counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['notice']} notice(s)** "
        f"on {len(report.files_changed)} changed file(s).",
        "",
        "**Requirements touched:** "
        + (
            ", ".join(f"{r.id}{' (MUST)' if r.must else ''}" for r in report.requirements) or "none"
        ),
    ]
    if report.must_regressed:
        parts.append(f"**MUST requirements regressing:** {', '.join(report.must_regressed)}")
    if delta.ran:
        parts.append(
            f"**Tests (sandbox, head vs base):** {len(delta.newly_failing)} newly failing, "
            f"{len(delta.newly_passing)} newly passing, {len(delta.flaky)} flaky, "
            f"{len(delta.disappeared)} gone"
        )
    else:
        parts.append(f"**Tests:** not run ({delta.reason or 'disabled'})")
    if report.completion:
        parts += ["", "**Spec completion:**", *completion_lines(report)]
    uncovered = [r for r in report.requirements if r.uncovered_criteria]
    if uncovered:
        parts += ["", "**Acceptance criteria without a test:**"]
        parts += [f"- {r.id}: {', '.join(r.uncovered_criteria)}" for r in uncovered]
    unplaced = [f for f in report.findings if f.position is None]
    if unplaced:
        parts += ["", "**Other findings:**", *(f"- {_comment_body(f)}" for f in unplaced)]
    return "\n".join(parts)


def digest(report: ReviewReport) -> str:
    """Changes when anything a reader would see changes (not when only timings do)."""
    payload = summary(report) + "".join(c.model_dump_json() for c in inline_comments(report))
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def review_body(report: ReviewReport) -> str:
    head = report.head_sha[:12]
    return f"### AgentOps spec review of `{head}`\n\n{summary(report)}\n\n" + marker_line(
        report.key, report.head_sha, digest(report)
    )


def superseded_body(key: str, old_head: str, new_head: str, old_digest: str) -> str:
    return f"_Superseded by the AgentOps review of `{new_head[:12]}`._\n\n" + marker_line(
        key, old_head, old_digest, state="superseded"
    )


def conclusion(report: ReviewReport, request_changes: bool) -> str:
    """`failure` blocks a merge only in request_changes mode, when a MUST requirement regresses."""
    if request_changes and report.must_regressed:
        return "failure"
    return "neutral" if report.flagged else "success"


def check_title(report: ReviewReport) -> str:
    errors = sum(1 for f in report.findings if f.severity == "error")
    warnings = sum(1 for f in report.findings if f.severity == "warning")
    completion = "; ".join(f"completion {c.base:.0%}→{c.head:.0%}" for c in report.completion[:1])
    return f"{errors} error(s), {warnings} warning(s)" + (f"; {completion}" if completion else "")
