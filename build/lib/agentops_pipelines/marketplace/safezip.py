"""Read a template folder from a zip without trusting it: never extracted to disk.

Checked before a byte is inflated: entry count, declared sizes, compression ratio, absolute
paths, `..` components, backslashes, symlinks and unexpected file types. Then every entry is
inflated through a bounded reader, so a header that lies about its size still cannot exceed the
limits (a zip bomb stops at the limit, not at the end of memory).
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from pathlib import PurePosixPath

from pydantic import BaseModel

from agentops_pipelines.marketplace.errors import UploadRejected

ALLOWED_SUFFIXES = (".md", ".markdown", ".yaml", ".yml", ".json", ".txt")


class ZipLimits(BaseModel):
    max_entries: int = 50
    max_entry_bytes: int = 512 * 1024
    max_total_bytes: int = 2 * 1024 * 1024
    max_ratio: float = 100.0


def _entry_problems(info: zipfile.ZipInfo, limits: ZipLimits) -> list[str]:
    """Everything wrong with one entry's header; the path checks matter even if we never write
    to disk, because a later `agentops` export of a fork might."""
    name = info.filename
    problems = []
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        problems.append(f"{name}: symbolic links are not allowed; put the file itself in the zip")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        problems.append(
            f"{name}: absolute paths are not allowed; zip the folder with relative paths"
        )
    if "\\" in name:
        problems.append(f"{name}: backslashes are not allowed in paths; use '/' separators")
    if ".." in PurePosixPath(name).parts:
        problems.append(f"{name}: '..' in a path is not allowed (path traversal); remove it")
    if not info.is_dir() and not name.lower().endswith(ALLOWED_SUFFIXES):
        problems.append(
            f"{name}: file type not allowed; a template folder holds only "
            f"{', '.join(ALLOWED_SUFFIXES)} files"
        )
    if info.file_size > limits.max_entry_bytes:
        problems.append(
            f"{name}: {info.file_size} bytes expanded, over the {limits.max_entry_bytes} byte "
            "limit per file; split or shorten it"
        )
    if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
        problems.append(
            f"{name}: compression ratio {info.file_size // info.compress_size}:1 is over "
            f"{int(limits.max_ratio)}:1 (looks like a zip bomb); upload ordinary text files"
        )
    return problems


def _bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    try:
        with archive.open(info) as handle:
            data = handle.read(budget + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as err:
        raise UploadRejected(
            f"{info.filename}: cannot be read ({err}); it may be corrupt or use an unsupported "
            "compression; re-create the zip with ordinary deflate"
        ) from err
    if len(data) > budget:
        raise UploadRejected(
            f"{info.filename}: inflates beyond its declared size or the zip's total limit "
            "(zip bomb?); upload an ordinary zip of text files"
        )
    return data


def read_zip(payload: bytes, limits: ZipLimits | None = None) -> dict[str, str]:
    """Return {relative path: UTF-8 text} for every file, or raise with every problem found."""
    limits = limits or ZipLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile as err:
        raise UploadRejected(
            f"the upload is not a readable zip ({err}); re-create the zip"
        ) from err
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise UploadRejected(
                f"the zip has {len(infos)} entries, over the limit of {limits.max_entries}; "
                "keep only the template files"
            )
        problems = [p for info in infos for p in _entry_problems(info, limits)]
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_total_bytes:
            problems.append(
                f"the zip expands to {declared} bytes, over the {limits.max_total_bytes} byte "
                "limit; remove large files"
            )
        if problems:
            raise UploadRejected(problems)
        files: dict[str, str] = {}
        budget = limits.max_total_bytes
        for info in infos:
            if info.is_dir():
                continue
            data = _bounded_read(archive, info, min(budget, limits.max_entry_bytes))
            budget -= len(data)
            try:
                files[info.filename] = data.decode("utf-8")
            except UnicodeDecodeError as err:
                raise UploadRejected(f"{info.filename}: not UTF-8 text; save it as UTF-8") from err
    return _strip_common_root(files)


def _strip_common_root(files: dict[str, str]) -> dict[str, str]:
    """`zip -r t.zip my-template/` nests everything in one folder; look inside it."""
    roots = {PurePosixPath(p).parts[0] for p in files}
    if len(roots) == 1 and all(len(PurePosixPath(p).parts) > 1 for p in files):
        root = roots.pop()
        return {str(PurePosixPath(p).relative_to(root)): t for p, t in files.items()}
    return files
