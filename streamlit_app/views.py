"""Pure helpers that turn spec documents and check outcomes into what the pages display.

No Streamlit import: these are unit-tested like any domain function, and the pages stay thin.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from agentops_pipelines.specs.checks import CheckOutcome
from agentops_pipelines.specs.models import Requirement, RequirementDiff, SpecDocument, SpecFormat

CheckStatus = Literal["pass", "warn", "fail"]

# Metadata keys in CheckOutcome that hold the IDs (or "ID: text" items) a reader should fix.
_OFFENDER_KEYS = ("missing", "requirement_ids", "errors")

# Why a requirement without criteria of its own is not a gap, by format convention.
NO_OWN_CRITERIA = {
    SpecFormat.SPEC_KIT: "spec-kit checks FR and SC bullets through the user stories' scenarios.",
    SpecFormat.PLAIN: "Context or a measurable NFR: judged on its wording, not on criteria.",
    SpecFormat.KIRO: "A non-functional requirement: judged on its wording, not on criteria.",
    SpecFormat.OPENSPEC: "A non-functional requirement: judged on its wording, not on criteria.",
}

EMPTY_STATE = (
    "No spec documents yet under `{root}`. Ingest some specs first: run `make demo` to ingest "
    "the bundled examples and start the app, or `agentops ingest PATH` for a folder of your own "
    "specs, then reload this page."
)


class CheckView(BaseModel):
    name: str
    status: CheckStatus
    description: str
    offenders: list[str]

    @property
    def message(self) -> str:
        ids = f" — {', '.join(self.offenders)}" if self.offenders else ""
        return f"**{self.status.upper()}** `{self.name}`: {self.description}{ids}"


def check_status(outcome: CheckOutcome) -> CheckStatus:
    if outcome.passed:
        return "pass"
    return "fail" if outcome.severity == "ERROR" else "warn"


def check_view(outcome: CheckOutcome) -> CheckView:
    offenders: list[str] = []
    if not outcome.passed:
        for key in _OFFENDER_KEYS:
            value = outcome.metadata.get(key)
            if isinstance(value, list):
                offenders.extend(str(v) for v in value if str(v) not in offenders)
    return CheckView(
        name=outcome.name,
        status=check_status(outcome),
        description=outcome.description,
        offenders=offenders,
    )


def check_summary(outcomes: list[CheckOutcome]) -> str:
    """One short cell for the specs table: failures first, then warnings, else all passed."""
    statuses = [check_status(o) for o in outcomes]
    fails, warns = statuses.count("fail"), statuses.count("warn")
    if not statuses:
        return "no checks"
    if not fails and not warns:
        return f"all {len(statuses)} passed"
    parts = []
    if fails:
        parts.append(f"{fails} failed")
    if warns:
        parts.append(f"{warns} warning" + ("s" if warns > 1 else ""))
    return ", ".join(parts)


def spec_row(doc: SpecDocument, outcomes: list[CheckOutcome]) -> dict[str, str | int | None]:
    source = doc.source
    commit = source.commit[:8] if source and source.commit else None
    return {
        "spec": doc.spec_id,
        "format": doc.format.value,
        "title": doc.title,
        "requirements": len(doc.requirements),
        "criteria": doc.criteria_count,
        "checks": check_summary(outcomes),
        "commit": commit,
        "author": source.author if source else None,
    }


def source_caption(doc: SpecDocument) -> str:
    caption = f"`{doc.spec_id}` · {doc.format.value}"
    if doc.source is not None and doc.source.commit:
        caption += f" · commit {doc.source.commit[:8]}"
    if doc.source is not None and doc.source.author:
        caption += f" by {doc.source.author}"
    return caption


def requirement_rows(doc: SpecDocument) -> list[dict[str, str | int | None]]:
    return [
        {
            "id": r.id,
            "kind": r.kind.value,
            "priority": r.priority or r.modal,
            "title": requirement_label(r),
            "criteria": len(r.acceptance_criteria),
            "clarifications": len(r.clarifications),
        }
        for r in doc.requirements
    ]


def requirement_label(req: Requirement, limit: int = 90) -> str:
    """Its title, else its opening words: untitled requirements still need a readable label."""
    if req.title:
        return req.title
    line = req.text.strip().splitlines()[0] if req.text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def filter_by_format(docs: list[SpecDocument], formats: list[str]) -> list[SpecDocument]:
    wanted = set(formats)
    return [d for d in docs if d.format.value in wanted]


def diff_lines(diff: RequirementDiff | None) -> list[str]:
    """The last change as sentences; the first materialisation has nothing to compare with."""
    if diff is None:
        return ["First version of this spec: there is no earlier materialisation to compare."]
    if diff.is_empty:
        return ["No requirement changed in the last materialisation."]
    lines = []
    for label, ids in (("Added", diff.added), ("Changed", diff.changed), ("Removed", diff.removed)):
        if ids:
            lines.append(f"{label} ({len(ids)}): {', '.join(ids)}")
    return lines


def diff_rows(doc: SpecDocument) -> list[dict[str, str]]:
    """Each added, changed or removed requirement with its text now and before, so the change
    view says what changed, not only which IDs."""
    diff = doc.diff
    if diff is None or diff.is_empty:
        return []
    now = {r.id: r.text for r in doc.requirements}
    unknown = "(not recorded: this change predates text in the diff)"
    rows = [{"change": "added", "id": i, "text": now.get(i, ""), "before": ""} for i in diff.added]
    rows += [
        {
            "change": "changed",
            "id": i,
            "text": now.get(i, ""),
            "before": diff.previous_text.get(i, unknown),
        }
        for i in diff.changed
    ]
    rows += [
        {"change": "removed", "id": i, "text": "", "before": diff.previous_text.get(i, unknown)}
        for i in diff.removed
    ]
    return rows
