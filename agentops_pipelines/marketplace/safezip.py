"""A template folder from an uploaded zip: the shared bounded reader plus the marketplace's
own policy (only text file types, UTF-8, one common root folder stripped)."""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

from agentops_pipelines.archives.safezip import ZipLimits, ZipRejected, read_members
from agentops_pipelines.marketplace.errors import UploadRejected

ALLOWED_SUFFIXES = (".md", ".markdown", ".yaml", ".yml", ".json", ".txt")

__all__ = ["ALLOWED_SUFFIXES", "ZipLimits", "read_zip"]


def _file_type(info: zipfile.ZipInfo) -> list[str]:
    if info.filename.lower().endswith(ALLOWED_SUFFIXES):
        return []
    return [
        f"{info.filename}: file type not allowed; a template folder holds only "
        f"{', '.join(ALLOWED_SUFFIXES)} files"
    ]


def read_zip(payload: bytes, limits: ZipLimits | None = None) -> dict[str, str]:
    """Return {relative path: UTF-8 text} for every file, or raise with every problem found."""
    try:
        members = read_members(payload, limits, policy=_file_type)
    except ZipRejected as err:
        problems = [
            f"the upload is {p}" if p.startswith("not a readable zip") else p for p in err.problems
        ]
        raise UploadRejected(problems) from err
    files: dict[str, str] = {}
    for name, data in members.items():
        try:
            files[name] = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise UploadRejected(f"{name}: not UTF-8 text; save it as UTF-8") from err
    return _strip_common_root(files)


def _strip_common_root(files: dict[str, str]) -> dict[str, str]:
    """`zip -r t.zip my-template/` nests everything in one folder; look inside it."""
    roots = {PurePosixPath(p).parts[0] for p in files}
    if len(roots) == 1 and all(len(PurePosixPath(p).parts) > 1 for p in files):
        root = roots.pop()
        return {str(PurePosixPath(p).relative_to(root)): t for p, t in files.items()}
    return files
