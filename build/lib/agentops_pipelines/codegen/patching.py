"""Apply a model's patch in memory: unified diffs parsed by `unidiff`, hunks applied strictly.

A hunk must match the original lines exactly (no fuzz), at its stated line or, when the model
miscounted, at the one unique place where its context occurs. Anything else is rejected: a patch
that "mostly" applies is how silent damage gets in.
"""

from __future__ import annotations

from pathlib import Path

from unidiff import PatchSet
from unidiff.errors import UnidiffParseError

from agentops_pipelines.codegen.models import PatchProposal
from agentops_pipelines.codegen.workspace import WorkspaceError, safe_target


class PatchError(ValueError):
    """The patch does not parse or does not apply; the message names file and hunk."""


def _find(lines: list[str], block: list[str], start: int, hint: int) -> int:
    if lines[hint : hint + len(block)] == block and hint >= start:
        return hint
    hits = [
        i for i in range(start, len(lines) - len(block) + 1) if lines[i : i + len(block)] == block
    ]
    return hits[0] if len(hits) == 1 else -1


def _apply_file(path: str, original: str, hunks) -> str:
    lines = original.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    out: list[str] = []
    cursor = 0
    for number, hunk in enumerate(hunks, start=1):
        source = [ln.value for ln in hunk if ln.is_context or ln.is_removed]
        target = [ln.value for ln in hunk if ln.is_context or ln.is_added]
        at = _find(lines, source, cursor, max(hunk.source_start - 1, 0)) if source else cursor
        if at < 0:
            raise PatchError(
                f"{path}: hunk {number} (@@ -{hunk.source_start},{hunk.source_length}) does not "
                "match the file; regenerate the diff against the current content"
            )
        out += lines[cursor:at] + target
        cursor = at + len(source)
    return "".join(out + lines[cursor:])


def _read(workspace: Path, path: str) -> str | None:
    full = safe_target(workspace, path)
    return full.read_text(encoding="utf-8") if full.is_file() else None


def apply_proposal(workspace: Path, proposal: PatchProposal) -> dict[str, str | None]:
    """New content per changed file (None = delete), nothing written yet."""
    changes: dict[str, str | None] = {}
    if proposal.diff.strip():
        try:
            patch = PatchSet(proposal.diff)
        except UnidiffParseError as exc:
            raise PatchError(f"the diff does not parse as a unified diff: {exc}") from exc
        if not len(patch):
            raise PatchError("the diff holds no file changes: send `--- a/path` / `+++ b/path`")
        for patched in patch:
            path = patched.path
            try:
                current = changes[path] if path in changes else _read(workspace, path)
            except WorkspaceError as exc:
                raise PatchError(str(exc)) from exc
            if patched.is_removed_file:
                changes[path] = None
                continue
            if current is None and not patched.is_added_file:
                raise PatchError(f"{path}: the diff edits a file that does not exist")
            changes[path] = _apply_file(path, current or "", patched)
    for change in proposal.files:
        try:
            safe_target(workspace, change.path)
        except WorkspaceError as exc:
            raise PatchError(str(exc)) from exc
        changes[change.path] = change.content
    if not changes:
        raise PatchError("the answer changes no file: send a unified diff or whole files")
    return changes


def write_changes(workspace: Path, changes: dict[str, str | None]) -> list[str]:
    """Write validated changes; returns the paths written or deleted. Every target is checked
    before the first write, so a refused path leaves the workspace as it was."""
    targets = {path: safe_target(workspace, path) for path in changes}
    folders = [path for path, full in targets.items() if full.is_dir()]
    if folders:
        raise WorkspaceError(f"{', '.join(folders)}: a folder in the workspace, not a file")
    for path, content in changes.items():
        full = targets[path]
        if content is None:
            full.unlink(missing_ok=True)
            continue
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text(content, encoding="utf-8")
    return sorted(changes)
