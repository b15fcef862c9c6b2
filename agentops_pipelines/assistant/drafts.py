"""Rule-drafted text for missing spec parts, written in the spec's own format.

Used when no model provider is configured (and as the layout a model's lines are put into).
Drafts are deliberately concrete but marked for review: a human accepts or rejects each one.
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel

from agentops_pipelines.specs.models import Requirement, SpecDocument, SpecFormat

_MODAL = re.compile(r"\b(shall|must|should|will|may|can)\b\s+(?:be able to\s+)?", re.I)


def system_name(doc: SpecDocument) -> str:
    """The actor the spec itself uses ('Upload_Service', 'The CLI', ...), else 'the system'."""
    names: Counter[str] = Counter()
    for req in doc.requirements:
        for text in [req.text] + [c.text for c in req.acceptance_criteria]:
            for m in re.finditer(r"\bTHE\s+([A-Z][\w-]+)\s+SHALL\b", text):
                names[m.group(1)] += 1
            for m in re.finditer(
                r"\b[Tt]he\s+([A-Z][\w-]*|system|service|API)\s+(?:shall|must|SHALL|MUST)\b", text
            ):
                names[m.group(1)] += 1
    return names.most_common(1)[0][0] if names else "system"


_STORY = re.compile(
    r"as an? (?P<role>[^,]+), I want(?P<to> to)? (?P<want>[^,]+?)(?:,? so that .*)?$", re.I
)
# Subjects that are people acting ("Customers must be able to ..."), not the system itself.
_PERSON = re.compile(
    r"\b(users?|customers?|admins?|administrators?|clerks?|members?|owners?|operators?|"
    r"developers?|buyers?|sellers?|visitors?|managers?|reviewers?|agents?)$",
    re.I,
)
_OWN = re.compile(r"\b(?:my|our)\b", re.I)
_QUALITY = re.compile(r"(?:be|stay|remain|feel|look)\b", re.I)


def _a(noun: str) -> str:
    """'a' or 'an' by sound, near enough for roles: an operator, a user, a unit owner."""
    vowel = noun[:1].lower() in "aeio" or (
        noun[:1].lower() == "u" and noun[:3].lower() not in {"use", "uni", "usa"}
    )
    return f"{'an' if vowel else 'a'} {noun}"


def _plain(req: Requirement) -> str:
    text = " ".join(req.text.split())
    return re.sub(r"^\*\*User Story:\*\*\s*", "", text).rstrip(". ")


def behaviour(req: Requirement) -> tuple[str, str]:
    """(who, what) the requirement asks for: the user story's role and want, or the text after
    the modal verb of a SHALL/MUST sentence."""
    text = _plain(req)
    story = _STORY.search(text)
    if story:
        role = story["role"].strip()
        return (role if re.match(r"(a|an|the)\s", role, re.I) else _a(role)), story["want"]
    match = _MODAL.search(text)
    return "a user", (text[match.end() :] if match else text)[:220]


def trigger(req: Requirement) -> str:
    """The "When" of the happy path, phrased by who acts: a story's role asks for its want, a
    person named as subject asks for the action, the system "has to" do its duty, and a quality
    ("be user-friendly") is not something anyone asks for, so the user uses what it covers."""
    text = _plain(req)
    story = _STORY.search(text)
    if story:
        who, want = behaviour(req)
        if story["to"]:
            return f"{who} asks to {want}"
        return f"{who} wants {_OWN.sub('their', want)}"
    match = _MODAL.search(text)
    if not match:  # spec-kit story prose: "A signed-in user changes their display name ..."
        first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0].rstrip(".;")
        return (first[:1].lower() + first[1:])[:220] if first else f"a user uses {req.id}"
    what = text[match.end() :][:220]
    lead = text[: match.start()].rsplit(",", 1)[-1].strip()  # "With --follow, the CLI"
    subject = re.sub(r"^(?:the|a|an)\s+", "", lead, flags=re.I)
    if _QUALITY.match(what) or not subject[:1].isalpha() and subject:
        return f"a user uses what {req.id} covers"
    if _PERSON.search(subject):
        person = subject.lower()
        return f"{_a(person[:-1] if person.endswith('s') else person)} asks to {what}"
    actor = subject if subject and subject.lower() != "system" else "system"
    return f"the {actor} has to {what}"


_REJECTION = "with a message naming the input and what to change, applying nothing"


class Criterion(BaseModel):
    given: str
    when: str
    then_vp: str  # "reject it ..." (after SHALL)
    then_3rd: str  # "rejects it ..." (after "the CLI")


def criteria_lines(doc: SpecDocument, req: Requirement) -> list[Criterion]:
    """The happy path and the invalid-input path of one requirement."""
    who, _ = behaviour(req)
    return [
        Criterion(
            given=f"the preconditions of {req.id} hold",
            when=trigger(req),
            then_vp="complete the request and show its outcome within 2 seconds",
            then_3rd="completes the request and shows its outcome within 2 seconds",
        ),
        Criterion(
            given=f"an invalid or incomplete input for {req.id}",
            when=f"{who} submits it",
            then_vp=f"reject it {_REJECTION}",
            then_3rd=f"rejects it {_REJECTION}",
        ),
    ]


def criteria_block(doc: SpecDocument, req: Requirement, lines: list[Criterion]) -> list[str]:
    """The acceptance-criteria block in the spec's format, ready to insert after `req`."""
    actor = system_name(doc)
    if doc.format is SpecFormat.KIRO:
        out = ["", "#### Acceptance Criteria", ""]
        for n, c in enumerate(lines, 1):
            out.append(f"{n}. WHEN {c.when}, THE {actor} SHALL {c.then_vp}")
        return out
    if doc.format is SpecFormat.OPENSPEC:
        out = []
        for n, c in enumerate(lines, 1):
            out += ["", f"#### Scenario: {req.title or req.id} ({n})", ""]
            out += [
                f"- **GIVEN** {c.given}",
                f"- **WHEN** {c.when}",
                f"- **THEN** the {actor} {c.then_3rd}",
            ]
        return out
    if doc.format is SpecFormat.SPEC_KIT:
        out = ["", "**Acceptance Scenarios**:", ""]
        for n, c in enumerate(lines, 1):
            out.append(
                f"{n}. **Given** {c.given}, **When** {c.when}, **Then** the {actor} {c.then_3rd}"
            )
        return out
    return [f"   - Given {c.given}, when {c.when}, then the {actor} {c.then_3rd}." for c in lines]


def _actor(statement: str, actor: str, upper: bool = False) -> str:
    """'{actor}' as 'THE X' (EARS), 'The X' at the start of a sentence, else 'the X'."""
    if upper:
        return statement.replace("{actor}", f"THE {actor}")
    if statement.startswith("{actor}"):
        statement = f"The {actor}" + statement[len("{actor}") :]
    return statement.replace("{actor}", f"the {actor}")


def section_block(doc: SpecDocument, title: str, statements: list[str]) -> list[str]:
    """A new section with one requirement per statement, in the spec's format."""
    actor = system_name(doc)
    if doc.format is SpecFormat.KIRO:
        number = len(doc.requirements) + 1
        out = ["", f"### Requirement {number}: {title}", "", "#### Acceptance Criteria", ""]
        return out + [f"{n}. {_actor(s, actor, upper=True)}" for n, s in enumerate(statements, 1)]
    if doc.format is SpecFormat.OPENSPEC:
        out = ["", f"### Requirement: {title}", ""]
        out.append(f"The {actor} SHALL behave as the scenarios below state ({title.lower()}).")
        for n, statement in enumerate(statements, 1):
            text = _actor(statement, actor)
            cond = re.match(r"IF (?P<when>.+?), THEN (?P<then>.+)$", text)
            out += ["", f"#### Scenario: {title} ({n})", ""]
            if cond:
                out += [f"- **WHEN** {cond['when']}", f"- **THEN** {cond['then']}", ""]
            else:
                out += [f"- **THEN** {text}", ""]
        return out[:-1]
    if doc.format is SpecFormat.SPEC_KIT:
        taken = [int(m) for r in doc.requirements for m in re.findall(r"^FR-(\d+)$", r.id)]
        start = max(taken, default=0) + 1
        out = ["", f"### {title}", ""]
        return out + [
            f"- **FR-{start + n:03d}**: {_actor(s, 'System').replace('The System', 'System')}"
            for n, s in enumerate(statements)
        ]
    prefix = "SEC" if "ecurity" in title else "ERR"
    out = ["", f"## {title}", ""]
    return out + [f"- {prefix}-{n}: {_actor(s, actor)}" for n, s in enumerate(statements, 1)]


ERROR_HANDLING = [
    "IF an input is invalid (unknown option, malformed value, unreadable file), THEN {actor} SHALL "
    "stop with a message naming the input, what is wrong and what to do, and exit/return an error "
    "code distinct from 'no result'.",
    "IF a dependency is unavailable or does not answer within 5 seconds, THEN {actor} SHALL report "
    "the dependency by name and fail the request without partial results.",
    "IF an unexpected error occurs, THEN {actor} SHALL log it with a correlation ID and show the "
    "user that ID without internal details.",
]
SECURITY = [
    "{actor} SHALL require an authenticated user for every upload and download, and SHALL return "
    "HTTP 401 to anonymous requests.",
    "{actor} SHALL allow a download only to users authorised for the owning record (HTTP 403 "
    "otherwise); download links SHALL be signed and expire after at most 15 minutes.",
    "{actor} SHALL scan every uploaded file for malware before it becomes downloadable and SHALL "
    "quarantine infected files.",
]
