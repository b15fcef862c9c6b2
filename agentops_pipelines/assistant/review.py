"""Human in the loop: accept (apply the diff to the spec file) or reject (with a reason) a stored
proposal; each decision is recorded with who and when.

Accept is the only code path in SpecGPT that writes a spec file, and it writes only inside the
spec workspace (settings.specs_path). Where the spec repository is linked to a Git host, accept
goes through the Git approval flow instead (`assistant/git_accept.py`) and writes nothing.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.assistant.patching import PatchConflict, apply_diff
from agentops_pipelines.assistant.suggest import sha256_text
from agentops_pipelines.assistant.tables import (
    ACCEPTED,
    CONFLICT,
    PROPOSED,
    REJECTED,
    DecisionRow,
    SuggestionRow,
)
from agentops_pipelines.auth import audit


class ReviewError(ValueError):
    """A decision that cannot be taken; the message says why and what to do."""


class SuggestionNotFound(ReviewError):
    """No suggestion has this id."""


class AcceptOutcome(BaseModel):
    """What accepting did: the spec file written (`accepted`), or a Git proposal created that a
    reviewer approves on the Git page before anything is pushed (`pending_approval`)."""

    suggestion_id: int
    spec_id: str
    status: str = ACCEPTED
    path: Path | None = None
    proposal_id: int | None = None
    repo: str | None = None
    branch: str | None = None
    message: str


def _spec_file(specs_path: Path, spec_id: str) -> Path:
    """The spec's file inside the workspace; a spec_id escaping it is refused."""
    root = specs_path.resolve()
    path = (root / spec_id).resolve()
    if root not in path.parents:
        raise ReviewError(
            f"spec {spec_id!r} is outside the spec workspace {root}; refusing to write"
        )
    if not path.is_file():
        raise ReviewError(
            f"spec file {path} does not exist; was the spec moved? regenerate the suggestion"
        )
    return path


def _write_atomic(path: Path, text: str) -> None:
    """Write-then-rename so a reader (the spec sensor) never sees half a spec."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def open_row(session: Session, suggestion_id: int) -> SuggestionRow:
    """The suggestion, still undecided; SuggestionNotFound / ReviewError otherwise."""
    row = session.get(SuggestionRow, suggestion_id)
    if row is None:
        raise SuggestionNotFound(
            f"suggestion {suggestion_id} does not exist; list them with GET "
            "/api/assistant/suggestions"
        )
    if row.status != PROPOSED:
        raise ReviewError(f"suggestion {suggestion_id} is already {row.status}; nothing to decide")
    return row


def spec_of(session_factory: sessionmaker[Session], suggestion_id: int) -> str:
    """The spec a suggestion edits (it decides whether accept writes or proposes)."""
    with session_factory() as session:
        return open_row(session, suggestion_id).spec_id


def patched_text(session: Session, row: SuggestionRow, specs_path: Path) -> tuple[Path, str, str]:
    """(spec file, its current text, the text with the suggestion applied). The diff is
    re-located when the spec moved on; when its context is gone the suggestion is marked
    `conflict` (committed) and ReviewError says to regenerate it."""
    path = _spec_file(specs_path, row.spec_id)
    current = path.read_text(encoding="utf-8")
    if sha256_text(current) == row.base_hash:
        return path, current, row.new_text
    try:
        return path, current, apply_diff(current, row.diff)
    except PatchConflict as err:
        row.status = CONFLICT
        session.commit()
        raise ReviewError(f"suggestion {row.id}: {err}") from err


def record_decision(
    session: Session, row: SuggestionRow, user: str, decision: str, status: str, reason: str | None
) -> None:
    """The suggestion's new status and who decided what, when, in the caller's transaction."""
    row.status = status
    session.add(
        DecisionRow(
            suggestion_id=row.id,
            decision=decision,
            decided_by=user,
            decided_at=datetime.now(UTC),
            reason=reason,
        )
    )


def record_accept(
    session: Session, row: SuggestionRow, user: str, status: str, note: str | None
) -> None:
    record_decision(session, row, user, "accept", status, note)


def check_user(user: str, verb: str = "accepting") -> None:
    if not user.strip():
        raise ReviewError(f"{verb} needs a user name: say who takes the decision")


def accept(
    session_factory: sessionmaker[Session], suggestion_id: int, user: str, specs_path: Path
) -> Path:
    """Apply the suggestion's diff to the spec file and record who accepted it, and when."""
    check_user(user)
    with session_factory.begin() as session:
        row = open_row(session, suggestion_id)
        path, _current, new_text = patched_text(session, row, specs_path)
        _write_atomic(path, new_text)
        record_accept(session, row, user, ACCEPTED, None)
        audit.record_acting(
            session,
            actor=user,
            action="spec.write",
            subject=f"spec:{row.spec_id}",
            detail={"suggestion": row.id, "base_hash": row.base_hash},
        )
    return path


def reject(
    session_factory: sessionmaker[Session], suggestion_id: int, user: str, reason: str
) -> None:
    """Record a rejection; the reason is required (it is what improves the next template)."""
    if not reason or not reason.strip():
        raise ReviewError(f"rejecting suggestion {suggestion_id} needs a reason: say what is wrong")
    check_user(user, "rejecting")
    with session_factory.begin() as session:
        row = open_row(session, suggestion_id)
        record_decision(session, row, user, "reject", REJECTED, reason.strip())
