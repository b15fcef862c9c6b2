"""Artefacts (plans, documents, reports) as files under one root, written atomically.

Dagster writes them (through the IO manager); Streamlit, the API and the CLI read them. A reader
never sees a half-written file because every write goes to a temporary file first and is then
renamed over the target, which POSIX makes atomic.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, unquote

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def encode_key(partition_key: str) -> str:
    """Partition keys are spec paths ('billing/spec.md'); file names may not contain '/'."""
    return quote(partition_key, safe="")


def decode_key(file_stem: str) -> str:
    return unquote(file_stem)


class ArtefactStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, kind: str, key: str, suffix: str = ".json") -> Path:
        return self.root / kind / f"{encode_key(key)}{suffix}"

    def write_text(self, kind: str, key: str, text: str, suffix: str = ".json") -> Path:
        target = self.path_for(kind, key, suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=suffix)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def write_model(self, kind: str, key: str, model: BaseModel) -> Path:
        return self.write_text(kind, key, model.model_dump_json(indent=2))

    def read_text(self, kind: str, key: str, suffix: str = ".json") -> str | None:
        path = self.path_for(kind, key, suffix)
        return path.read_text(encoding="utf-8") if path.exists() else None

    def read_model(self, kind: str, key: str, model: type[M]) -> M | None:
        text = self.read_text(kind, key)
        return None if text is None else model.model_validate_json(text)

    def keys(self, kind: str, suffix: str = ".json") -> list[str]:
        folder = self.root / kind
        if not folder.is_dir():
            return []
        return sorted(
            decode_key(p.name[: -len(suffix)])
            for p in folder.iterdir()
            if p.name.endswith(suffix) and not p.name.startswith(".tmp-")
        )

    def delete(self, kind: str, key: str, suffix: str = ".json") -> None:
        self.path_for(kind, key, suffix).unlink(missing_ok=True)
