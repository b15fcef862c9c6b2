"""Embedded backend, no server: tantivy (BM25) + usearch (HNSW) + SQLite (chunk rows).

Layout under `root` (settings.artefact_root / "search_index"):
  chunks.db      chunk rows and vectors, the source of truth (SQLite WAL: readers never block)
  bm25/          tantivy index; a commit is atomic, readers see the last commit
  vectors.usearch  HNSW graph over all vectors, replaced atomically with os.replace
  .writer.lock   flock held by the one process that writes (a Dagster run)
A reader in another process (Streamlit, the CLI) notices a new commit by the file's mtime and
reloads. Filtered dense queries run exactly over the matching rows, so filters never drop hits.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import tantivy
from usearch.index import Index as VectorIndex

from agentops_pipelines.retrieval.backend import HybridConfig
from agentops_pipelines.retrieval.fusion import fuse
from agentops_pipelines.retrieval.lexicon import expansions
from agentops_pipelines.retrieval.models import Chunk, IndexUpdate, Mode, SearchFilters, SearchHit

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS chunks (
  key INTEGER PRIMARY KEY AUTOINCREMENT, chunk_id TEXT UNIQUE NOT NULL, spec_id TEXT NOT NULL,
  workspace TEXT NOT NULL, section TEXT NOT NULL, meta TEXT NOT NULL, text TEXT NOT NULL,
  content_hash TEXT NOT NULL, vector BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_spec ON chunks(spec_id);
"""
_WORD = re.compile(r"\w+")


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("text", stored=False, tokenizer_name="en_stem")
    sb.add_integer_field("key", stored=True, indexed=True, fast=True)
    for name in ("spec_id", "workspace", "section"):
        sb.add_text_field(name, stored=False, tokenizer_name="raw")
    return sb.build()


def _section_prefixes(path: list[str]) -> list[str]:
    """Every heading prefix is indexed so 'Billing' matches 'Billing > Invoices > ...'."""
    return [" > ".join(path[: i + 1]) for i in range(len(path))] or [""]


class EmbeddedBackend:
    def __init__(self, root: Path, dim: int = 384, hybrid: HybridConfig | None = None) -> None:
        self.root = Path(root)
        (self.root / "bm25").mkdir(parents=True, exist_ok=True)
        self.dim = dim
        self.hybrid = hybrid or HybridConfig()
        self._db = sqlite3.connect(
            str(self.root / "chunks.db"), timeout=30, check_same_thread=False
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA_SQL)
        self._schema = _schema()
        self._bm25 = tantivy.Index(self._schema, path=str(self.root / "bm25"))
        self._vectors_path = self.root / "vectors.usearch"
        self._vectors: VectorIndex | None = None
        self._vectors_mtime = -1

    # ---- writing -------------------------------------------------------------------------
    @contextmanager
    def _writer_lock(self):
        """One writer at a time across processes; tantivy's own lock would fail, not wait."""
        with open(self.root / ".writer.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def upsert_spec(self, spec_id: str, chunks: list[Chunk], vectors: np.ndarray) -> IndexUpdate:
        with self._writer_lock():
            return self._apply(spec_id, chunks, np.asarray(vectors, dtype=np.float32))

    def delete_spec(self, spec_id: str) -> IndexUpdate:
        with self._writer_lock():
            return self._apply(spec_id, [], np.zeros((0, self.dim), dtype=np.float32))

    def bulk_load(self, items: list[tuple[str, list[Chunk], np.ndarray]]) -> int:
        """Many specs in one commit (first full ingest, benchmarks); returns chunks upserted."""
        with self._writer_lock():
            upserted = sum(self._apply(s, c, v, commit=False).upserted for s, c, v in items)
            self._commit()
            return upserted

    def _apply(
        self, spec_id: str, chunks: list[Chunk], vectors: np.ndarray, commit: bool = True
    ) -> IndexUpdate:
        existing = {
            cid: (key, h, meta)
            for key, cid, h, meta in self._db.execute(
                "SELECT key, chunk_id, content_hash, meta FROM chunks WHERE spec_id=?", (spec_id,)
            )
        }
        wanted = {c.chunk_id for c in chunks}
        stale = [existing[cid][0] for cid in existing if cid not in wanted]
        fresh: list[tuple[Chunk, np.ndarray]] = []
        for chunk, vec in zip(chunks, vectors, strict=True):
            old = existing.get(chunk.chunk_id)
            if old and old[1] == chunk.content_hash and old[2] == self._meta(chunk):
                continue
            if old:
                stale.append(old[0])
            fresh.append((chunk, vec))
        if not stale and not fresh:
            return IndexUpdate(spec_id=spec_id)
        writer = self._pending_writer()
        vindex = self._load_vectors(for_write=True)
        for key in stale:
            writer.delete_documents_by_term("key", key)
            if vindex.contains(key):
                vindex.remove(key)
        with self._db:
            self._db.executemany("DELETE FROM chunks WHERE key=?", [(k,) for k in stale])
            keys = []
            for chunk, vec in fresh:
                cur = self._db.execute(
                    "INSERT INTO chunks (chunk_id, spec_id, workspace, section, meta, text,"
                    " content_hash, vector) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        chunk.chunk_id,
                        chunk.spec_id,
                        chunk.workspace,
                        chunk.section,
                        self._meta(chunk),
                        chunk.text,
                        chunk.content_hash,
                        vec.tobytes(),
                    ),
                )
                key = int(cur.lastrowid or 0)
                keys.append(key)
                writer.add_document(self._document(key, chunk))
        if fresh:
            vindex.add(np.array(keys, dtype=np.uint64), np.stack([v for _, v in fresh]))
        if commit:
            self._commit()
        removed = len([cid for cid in existing if cid not in wanted])
        return IndexUpdate(spec_id=spec_id, upserted=len(fresh), deleted=removed)

    @staticmethod
    def _meta(chunk: Chunk) -> str:
        return json.dumps(
            {"requirement_ids": chunk.requirement_ids, "section_path": chunk.section_path}
        )

    def _document(self, key: int, chunk: Chunk) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_integer("key", key)
        doc.add_text("text", chunk.text)
        doc.add_text("spec_id", chunk.spec_id)
        doc.add_text("workspace", chunk.workspace)
        for prefix in _section_prefixes(chunk.section_path):
            doc.add_text("section", prefix)
        return doc

    def _pending_writer(self):
        """One tantivy writer per batch of changes, committed in _commit."""
        if getattr(self, "_writer", None) is None:
            self._writer = self._bm25.writer(heap_size=64_000_000, num_threads=1)
        return self._writer

    def _commit(self) -> None:
        if getattr(self, "_writer", None) is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        if self._vectors is not None:
            tmp = self._vectors_path.with_suffix(".tmp")
            self._vectors.save(str(tmp))
            os.replace(tmp, self._vectors_path)
            self._vectors_mtime = self._vectors_path.stat().st_mtime_ns
        self._bm25.reload()

    # ---- reading -------------------------------------------------------------------------
    def _load_vectors(self, for_write: bool = False) -> VectorIndex:
        """Reload when another process replaced the file since we last looked."""
        mtime = self._vectors_path.stat().st_mtime_ns if self._vectors_path.exists() else -1
        if self._vectors is None or mtime != self._vectors_mtime:
            index = VectorIndex(ndim=self.dim, metric="ip", dtype="f32", connectivity=16)
            if mtime != -1:
                index.load(str(self._vectors_path))
            self._vectors, self._vectors_mtime = index, mtime
        return self._vectors

    def spec_ids(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT spec_id FROM chunks ORDER BY 1")]

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]

    def _filter_query(self, filters: SearchFilters) -> list[tantivy.Query]:
        parts = []
        if filters.spec_ids is not None:
            parts.append(tantivy.Query.term_set_query(self._schema, "spec_id", filters.spec_ids))
        if filters.workspace:
            parts.append(tantivy.Query.term_query(self._schema, "workspace", filters.workspace))
        if filters.section_prefix:
            parts.append(tantivy.Query.term_query(self._schema, "section", filters.section_prefix))
        return parts

    def bm25(self, query: str, filters: SearchFilters, limit: int) -> dict[int, float]:
        words = _WORD.findall(query.lower())
        if not words:
            return {}
        # expansions (base forms, synonyms) count half: the user's own words rank first
        extra = [f"{w}^0.5" for w in expansions(words) if _WORD.fullmatch(w)]
        text_q = self._bm25.parse_query(" ".join(words + extra), ["text"])
        parts = [(tantivy.Occur.Must, q) for q in [text_q, *self._filter_query(filters)]]
        q = tantivy.Query.boolean_query(parts) if len(parts) > 1 else text_q
        self._bm25.reload()
        searcher = self._bm25.searcher()
        return {
            searcher.doc(addr)["key"][0]: score for score, addr in searcher.search(q, limit).hits
        }

    def dense(self, vector: np.ndarray, filters: SearchFilters, limit: int) -> dict[int, float]:
        if filters.spec_ids is None and not filters.workspace and not filters.section_prefix:
            index = self._load_vectors()
            if len(index) == 0:
                return {}
            found = index.search(vector.astype(np.float32), min(limit, len(index)))
            return {
                int(k): 1.0 - float(d) for k, d in zip(found.keys, found.distances, strict=True)
            }
        sql, args = self._filter_sql(filters)
        rows = self._db.execute(f"SELECT key, vector FROM chunks WHERE {sql}", args).fetchall()
        if not rows:
            return {}
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(-1, self.dim)
        scores = matrix @ vector
        top = np.argsort(-scores)[:limit]
        return {rows[i][0]: float(scores[i]) for i in top}

    @staticmethod
    def _filter_sql(filters: SearchFilters) -> tuple[str, list]:
        sql, args = ["1=1"], []
        if filters.spec_ids is not None:
            sql.append(f"spec_id IN ({','.join('?' * len(filters.spec_ids))})")
            args += filters.spec_ids
        if filters.workspace:
            sql.append("workspace = ?")
            args.append(filters.workspace)
        if filters.section_prefix:
            sql.append("(section = ? OR section LIKE ? ESCAPE '\\')")
            escaped = filters.section_prefix.replace("%", "\\%").replace("_", "\\_")
            args += [filters.section_prefix, escaped + " > %"]
        return " AND ".join(sql), args

    def search(
        self, query: str, vector: np.ndarray | None, mode: Mode, filters: SearchFilters, top_k: int
    ) -> list[SearchHit]:
        k = max(top_k, self.hybrid.candidates) if mode == "hybrid" else top_k
        ranked: dict[str, dict[int, float]] = {}
        if mode in ("bm25", "hybrid"):
            ranked["bm25"] = self.bm25(query, filters, k)
        if mode in ("dense", "hybrid") and vector is not None:
            ranked["dense"] = self.dense(vector, filters, k)
        if mode == "hybrid":
            weights = {"bm25": self.hybrid.bm25_weight, "dense": self.hybrid.dense_weight}
            order = fuse(ranked, self.hybrid.method, weights)[:top_k]
        else:
            only = next(iter(ranked.values()), {})
            order = sorted(only.items(), key=lambda kv: -kv[1])[:top_k]
        return self._hits(order, ranked)

    def _hits(self, order, ranked) -> list[SearchHit]:
        keys = [int(k) for k, _ in order]
        if not keys:
            return []
        rows = {
            r[0]: r
            for r in self._db.execute(
                f"SELECT key, chunk_id, spec_id, meta, text FROM chunks WHERE key IN"
                f" ({','.join('?' * len(keys))})",
                keys,
            )
        }
        hits = []
        for key, score in order:
            row = rows.get(int(key))
            if row is None:  # deleted between the two reads
                continue
            meta = json.loads(row[3])
            hits.append(
                SearchHit(
                    chunk_id=row[1],
                    spec_id=row[2],
                    text=row[4],
                    score=float(score),
                    requirement_ids=meta["requirement_ids"],
                    section_path=meta["section_path"],
                    matched_by=[name for name, found in ranked.items() if key in found],  # type: ignore[misc]
                )
            )
        return hits
