"""Take files out of a finished sandbox without trusting what the sandbox left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_EVIDENCE_BYTES = 64 * 1024 * 1024


def copy_evidence(work: Path, relative: str, evidence_dir: Path) -> Path | None:
    """Copy `relative` out of `work` into `evidence_dir`; None when absent or not a plain file.

    The sandboxed code controls the workdir: it could plant a symlink named like the report
    pointing at a host secret, and we copy as root. O_NOFOLLOW on every component plus a
    regular-file check stop that.
    """
    target = (work / relative).resolve(strict=False)
    if work.resolve() not in target.parents:
        return None
    try:
        fd = os.open(work / relative, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as source:
        info = os.fstat(source.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_EVIDENCE_BYTES:
            return None
        destination = evidence_dir / Path(relative).name
        destination.write_bytes(source.read())
    return destination


def tail(path: Path, chars: int) -> str:
    """The end of a log is where the verdict is; read only that much."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - chars * 4))
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return text[-chars:]
