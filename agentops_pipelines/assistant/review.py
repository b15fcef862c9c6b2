"""Human in the loop: accept (apply the diff to the spec file) or reject (with a reason) a stored
proposal; each decision is recorded with who and when.

Accept is the only code path in SpecGPT that writes a spec file, and it writes only inside the
spec workspace (settings.specs_path).
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.assistant.patching import PatchConflict, apply_diff
from agentops_pipelines.assistant.suggest import sha256_text
from agentops_pipelines.assistant.tables import DecisionRow, SuggestionRow


class ReviewError(ValueError):
    """A decision that cannot be taken; the message says why and what to do."""


class SuggestionNotFound(ReviewError):
    """No suggestion has this id."""


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


def _open_row(session: Session, suggestion_id: int) -> SuggestionRow:
    row = session.get(SuggestionRow, suggestion_id)
    if row is None:
        raise SuggestionNotFound(
            f"suggestion {suggestion_id} does not exist; list them with GET "
            "/api/assistant/suggestions"
        )
    if row.status != "proposed":
        raise ReviewError(f"suggestion {suggestion_id} is already {row.status}; nothing to decide")
    return row


def accept(
    session_factory: sessionmaker[Session], suggestion_id: int, user: str, specs_path: Path
) -> Path:
    """Apply the suggestion's diff to the spec file and record who accepted it, and when."""
    if not user.strip():
        raise ReviewError("accepting needs a user name: say who takes the decision")
    with session_factory.begin() as session:
        row = _open_row(session, suggestion_id)
        path = _spec_file(specs_path, row.spec_id)
        current = path.read_text(encoding="utf-8")
        if sha256_text(current) == row.base_hash:
            new_text = row.new_text
        else:
            try:
                new_text = apply_diff(current, row.diff)
            except PatchConflict as err:
                row.status = "conflict"
                session.commit()
                raise ReviewError(f"suggestion {suggestion_id}: {err}") from err
        _write_atomic(path, new_text)
        row.status = "accepted"
        session.add(
            DecisionRow(
                suggestion_id=row.id,
                decision="accept",
                decided_by=user,
                decided_at=datetime.now(UTC),
                reason=None,
            )
        )
    return path


def reject(
    session_factory: sessionmaker[Session], suggestion_id: int, user: str, reason: str
) -> None:
    """Record a rejection; the reason is required (it is what improves the next template)."""
    if not reason or not reason.strip():
        raise ReviewError(f"rejecting suggestion {suggestion_id} needs a reason: say what is wrong")
    if not user.strip():
        raise ReviewError("rejecting needs a user name: say who takes the decision")
    with session_factory.begin() as session:
        row = _open_row(session, suggestion_id)
        row.status = "rejected"
        session.add(
            DecisionRow(
                suggestion_id=row.id,
                decision="reject",
                decided_by=user,
                decided_at=datetime.now(UTC),
                reason=reason.strip(),
            )
        )
