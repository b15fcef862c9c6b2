"""Read members of a zip without trusting it: never extracted by zipfile, every byte bounded.

Checked before a byte is inflated: entry count, declared sizes, compression ratio, absolute
paths, `..` components, backslashes and symlinks (plus any policy the caller adds). Then every
wanted entry is inflated through a bounded reader, so a header that lies about its size still
cannot exceed the limits (a zip bomb stops at the limit, not at the end of memory or disk).
The marketplace's template uploads and the CI artifact download share this one reader.
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from collections.abc import Callable
from pathlib import PurePosixPath

from pydantic import BaseModel

Wanted = Callable[[zipfile.ZipInfo], bool]
Policy = Callable[[zipfile.ZipInfo], list[str]]


class ZipLimits(BaseModel):
    max_entries: int = 50
    max_entry_bytes: int = 512 * 1024
    max_total_bytes: int = 2 * 1024 * 1024
    max_ratio: float = 100.0


class ZipRejected(ValueError):
    """The archive broke a limit or is unreadable; `problems` names every entry and what to do."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


def header_problems(info: zipfile.ZipInfo, limits: ZipLimits) -> list[str]:
    """Everything wrong with one entry's header; path checks matter even though nothing is
    extracted, because a caller might later write members to disk under their names."""
    name = info.filename
    problems = []
    if stat.S_ISLNK(info.external_attr >> 16):
        problems.append(f"{name}: symbolic links are not allowed; put the file itself in the zip")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        problems.append(
            f"{name}: absolute paths are not allowed; zip the folder with relative paths"
        )
    if "\\" in name:
        problems.append(f"{name}: backslashes are not allowed in paths; use '/' separators")
    if ".." in PurePosixPath(name).parts:
        problems.append(f"{name}: '..' in a path is not allowed (path traversal); remove it")
    if info.file_size > limits.max_entry_bytes:
        problems.append(
            f"{name}: {info.file_size} bytes expanded, over the {limits.max_entry_bytes} byte "
            "limit per file; split or shorten it"
        )
    if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
        problems.append(
            f"{name}: compression ratio {info.file_size // info.compress_size}:1 is over "
            f"{int(limits.max_ratio)}:1 (looks like a zip bomb); use ordinary files"
        )
    return problems


def _bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    try:
        with archive.open(info) as handle:
            data = handle.read(budget + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
        raise ZipRejected(
            f"{info.filename}: cannot be read ({err}); it may be corrupt, encrypted or use an "
            "unsupported compression; re-create the zip with ordinary deflate"
        ) from err
    if len(data) > budget:
        raise ZipRejected(
            f"{info.filename}: inflates beyond its declared size or the zip's total limit "
            "(zip bomb?); use an ordinary zip"
        )
    return data


def _open(payload: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(payload))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as err:
        raise ZipRejected(f"not a readable zip ({err}); re-create the zip") from err


def read_members(
    payload: bytes,
    limits: ZipLimits | None = None,
    wanted: Wanted | None = None,
    policy: Policy | None = None,
) -> dict[str, bytes]:
    """{member name: bytes} for every wanted file entry, or ZipRejected with every problem.

    Unwanted entries are neither checked nor inflated; `policy` adds caller-specific problems
    (e.g. allowed file types) for wanted ones.
    """
    limits = limits or ZipLimits()
    with _open(payload) as archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise ZipRejected(
                f"the zip has {len(infos)} entries, over the limit of {limits.max_entries}; "
                "keep only the files that are needed"
            )
        chosen = [i for i in infos if not i.is_dir() and (wanted is None or wanted(i))]
        problems = [p for i in chosen for p in header_problems(i, limits)]
        if policy is not None:
            problems += [p for i in chosen for p in policy(i)]
        declared = sum(i.file_size for i in chosen)
        if declared > limits.max_total_bytes:
            problems.append(
                f"the zip expands to {declared} bytes, over the {limits.max_total_bytes} byte "
                "limit; remove large files"
            )
        if problems:
            raise ZipRejected(problems)
        members: dict[str, bytes] = {}
        budget = limits.max_total_bytes
        for info in chosen:
            data = _bounded_read(archive, info, min(budget, limits.max_entry_bytes))
            budget -= len(data)
            members[info.filename] = data
    return members
