"""Vectors cached by chunk content hash, so a one-requirement edit re-embeds one chunk.

SQLite (stdlib) in WAL mode: several processes may read while one Dagster run writes, and a
crashed run leaves no half-written file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from agentops_pipelines.retrieval.models import Chunk


class EmbeddingCache:
    def __init__(self, path: Path, model: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, content_hash TEXT, vector BLOB,"
            " PRIMARY KEY (model, content_hash))"
        )
        self._model = model

    def get_many(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            part = hashes[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                "SELECT content_hash, vector FROM vectors"
                f" WHERE model=? AND content_hash IN ({marks})",
                [self._model, *part],
            )
            for h, blob in rows:
                found[h] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(self._model, h, v.astype(np.float32).tobytes()) for h, v in items.items()],
            )

    def close(self) -> None:
        self._db.close()


def embed_chunks(
    chunks: list[Chunk], embedder, cache: EmbeddingCache, slab: int = 256
) -> tuple[np.ndarray, int, int]:
    """Vectors for the chunks in order, plus (computed, cache_hits)."""
    hashes = [c.content_hash for c in chunks]
    cached = cache.get_many(sorted(set(hashes)))
    missing = sorted({h for h in hashes if h not in cached})
    text_of = {c.content_hash: c.text for c in chunks}
    for start in range(0, len(missing), slab):  # saved per slab: an interrupted run resumes
        part = missing[start : start + slab]
        new = dict(zip(part, embedder.embed([text_of[h] for h in part]), strict=True))
        cache.put_many(new)
        cached.update(new)
    vectors = np.stack([cached[h] for h in hashes]) if hashes else np.zeros((0, embedder.dim))
    return vectors.astype(np.float32), len(missing), len(hashes) - len(missing)
