"""A PR's unified diff, parsed by `unidiff`, with the GitHub diff position of every line.

GitHub anchors an inline review comment at a `position`: the count of lines below the first
`@@` header of that file's diff, later hunk headers included. Every added, removed and context
line gets its position here so a finding at a line can be placed on the PR.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from unidiff import PatchSet
from unidiff.errors import UnidiffParseError

FileStatus = Literal["added", "removed", "modified", "renamed"]
LineKind = Literal["added", "removed", "context"]


class DiffLine(BaseModel):
    kind: LineKind
    position: int
    old_line: int | None = None
    new_line: int | None = None
    text: str = ""


class DiffFile(BaseModel):
    path: str = Field(description="new path; the old path for a deleted file")
    old_path: str | None = None
    status: FileStatus
    lines: list[DiffLine] = Field(default_factory=list)

    @property
    def added_lines(self) -> set[int]:
        return {ln.new_line for ln in self.lines if ln.kind == "added" and ln.new_line}

    @property
    def removed_lines(self) -> set[int]:
        return {ln.old_line for ln in self.lines if ln.kind == "removed" and ln.old_line}

    def position_of(self, new_line: int) -> int | None:
        """Position of a new-side line that is in the diff (added or context), else None."""
        for ln in self.lines:
            if ln.new_line == new_line and ln.kind != "removed":
                return ln.position
        return None

    def position_of_old(self, old_line: int) -> int | None:
        for ln in self.lines:
            if ln.old_line == old_line and ln.kind != "added":
                return ln.position
        return None

    def first_change(self, old: tuple[int, int] | None, new: tuple[int, int] | None) -> DiffLine:
        """The first added/removed line inside the given old or new line span (inclusive)."""
        for ln in self.lines:
            if ln.kind == "added" and new and ln.new_line and new[0] <= ln.new_line <= new[1]:
                return ln
            if ln.kind == "removed" and old and ln.old_line and old[0] <= ln.old_line <= old[1]:
                return ln
        return self.first_line()

    def first_line(self) -> DiffLine:
        changed = [ln for ln in self.lines if ln.kind != "context"]
        return (changed or self.lines or [DiffLine(kind="context", position=1)])[0]


class DiffError(ValueError):
    """The diff text is not a unified diff."""


def _strip(path: str | None) -> str | None:
    if path is None or path == "/dev/null":
        return None
    return path[2:] if path[:2] in ("a/", "b/") else path


def parse_diff(text: str) -> list[DiffFile]:
    try:
        patch = PatchSet(text)
    except UnidiffParseError as exc:
        raise DiffError(f"the pull request diff does not parse as a unified diff: {exc}") from exc
    files = []
    for patched in patch:
        old, new = _strip(patched.source_file), _strip(patched.target_file)
        if patched.is_added_file:
            status: FileStatus = "added"
        elif patched.is_removed_file:
            status = "removed"
        elif old and new and old != new:
            status = "renamed"
        else:
            status = "modified"
        lines: list[DiffLine] = []
        position = 0
        for index, hunk in enumerate(patched):
            if index:
                position += 1  # a later hunk header is a line of the diff too
            for line in hunk:
                position += 1
                kind: LineKind = (
                    "added" if line.is_added else "removed" if line.is_removed else "context"
                )
                if not (line.is_added or line.is_removed or line.is_context):
                    continue  # "\ No newline at end of file" takes a position, carries no line
                lines.append(
                    DiffLine(
                        kind=kind,
                        position=position,
                        old_line=line.source_line_no,
                        new_line=line.target_line_no,
                        text=line.value.rstrip("\n"),
                    )
                )
        path = new or old or ""
        files.append(DiffFile(path=path, old_path=old, status=status, lines=lines))
    return files
