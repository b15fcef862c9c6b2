"""SpecGPT test homes: the bundled sample specs copied into a tmp spec workspace, parsed into
spec_document artefacts and indexed with the real embedded backend (tantivy BM25 + usearch).

The full 16-spec index is built once per session with zero vectors and searched in BM25 mode
(AGENTOPS_SPECGPT_SEARCH_MODE=bm25): embedding ~300 chunks with MiniLM takes minutes on a shared
CI machine. `test_assistant_hybrid.py` builds a small index with real embeddings instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.retrieval.chunking import chunk_spec
from agentops_pipelines.retrieval.embedded import EmbeddedBackend
from agentops_pipelines.retrieval.factory import shared_embedder
from agentops_pipelines.settings import BUNDLED_SPECS
from agentops_pipelines.specs.models import SourceInfo
from agentops_pipelines.specs.parsing.parse import parse_spec

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def build_home(home: Path, spec_ids: list[str] | None = None, embed: bool = False) -> Path:
    """specs/ (copies of examples/specs), artefacts/spec_document/*, artefacts/search_index."""
    specs = home / "specs"
    wanted = spec_ids or [
        p.relative_to(BUNDLED_SPECS).as_posix() for p in BUNDLED_SPECS.glob("*/*.md")
    ]
    for spec_id in wanted:
        (specs / spec_id).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BUNDLED_SPECS / spec_id, specs / spec_id)
    store = ArtefactStore(home / "artefacts")
    backend = EmbeddedBackend(home / "artefacts" / "search_index")
    for spec_id in sorted(wanted):
        source = SourceInfo(root=str(specs), path=spec_id, commit=COMMIT)
        doc = parse_spec(spec_id, (specs / spec_id).read_text(encoding="utf-8"), source)
        store.write_model("spec_document", spec_id, doc)
        chunks = chunk_spec(doc)
        if embed:
            vectors = np.asarray(shared_embedder().embed([c.text for c in chunks]), np.float32)
        else:
            vectors = np.zeros((len(chunks), 384), dtype=np.float32)
        backend.upsert_spec(spec_id, chunks, vectors)
    return home


def point_env_at(home: Path, monkeypatch: pytest.MonkeyPatch, search_mode: str) -> None:
    env = {
        "AGENTOPS_HOME": str(home),
        "AGENTOPS_SPECS_PATH": str(home / "specs"),
        "AGENTOPS_ARTEFACT_ROOT": str(home / "artefacts"),
        "AGENTOPS_DB_URL": f"sqlite:///{home / 'app.db'}",
        "AGENTOPS_WAREHOUSE": str(home / "warehouse.duckdb"),
        "DAGSTER_HOME": str(home / "dagster"),
        "AGENTOPS_SPECGPT_SEARCH_MODE": search_mode,
    }
    (home / "dagster").mkdir(parents=True, exist_ok=True)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "MISTRAL_API_KEY",
        "AGENTOPS_OPENAI_COMPAT_BASE_URL",
        "AGENTOPS_SPECGPT_ENABLED",
        "AGENTOPS_SPECGPT_RATE_PER_MINUTE",
    ):
        monkeypatch.delenv(name, raising=False)
