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

MAX_ENCODED_KEY_BYTES = 200
"""File names are at most 255 bytes; the encoded stem leaves room for suffix and temp prefix."""


class ArtefactKeyError(ValueError):
    """A key that cannot name an artefact file (too long once encoded); never a valid spec path."""


def encode_key(partition_key: str) -> str:
    """Partition keys are spec paths ('billing/spec.md'); file names may not contain '/'."""
    return quote(partition_key, safe="")


def decode_key(file_stem: str) -> str:
    return unquote(file_stem)


class ArtefactStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, kind: str, key: str, suffix: str = ".json") -> Path:
        stem = encode_key(key)
        if len(stem.encode()) > MAX_ENCODED_KEY_BYTES or "\x00" in key:
            raise ArtefactKeyError(
                f"spec id of {len(key)} characters ({len(stem.encode())} bytes encoded) is too "
                f"long: spec ids are at most {MAX_ENCODED_KEY_BYTES} bytes once URL-encoded; "
                "use a shorter spec path"
            )
        return self.root / kind / f"{stem}{suffix}"

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


WORKSPACES_FOLDER = ".workspaces"


def artefact_root_for(root: Path, deployment_workspace: str, workspace: str) -> Path:
    """The artefact root a workspace reads: the pipelines write for the deployment's workspace
    (AGENTOPS_WORKSPACE) at `root`; any other workspace has its own folder under it, which holds
    nothing the deployment's pipelines wrote. So a caller of another workspace finds none of
    the deployment's specs, plans or QA results (a 404, like any object it does not own)."""
    if workspace == deployment_workspace:
        return Path(root)
    return Path(root) / WORKSPACES_FOLDER / encode_key(workspace)
