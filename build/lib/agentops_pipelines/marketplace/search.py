"""Catalog search through the retrieval interface: an in-memory BM25 index over templates.

The catalog is small (hundreds of templates, not millions of chunks), so a RAM tantivy index is
rebuilt whenever the published set changes, instead of a second on-disk index to keep in step.
`TemplateIndex` implements `RetrievalBackend` and is queried through `Retriever`, the same door
spec search uses; one template is one chunk whose `spec_id` is the template slug.
"""

from __future__ import annotations

import hashlib
import re
import threading

import numpy as np
import tantivy

from agentops_pipelines.marketplace.catalog import SessionFactory, list_templates
from agentops_pipelines.marketplace.models import TemplateCard
from agentops_pipelines.marketplace.tables import TemplateRow, VersionRow
from agentops_pipelines.retrieval.backend import Retriever
from agentops_pipelines.retrieval.models import Chunk, IndexUpdate, Mode, SearchFilters, SearchHit

_WORD = re.compile(r"\w+")


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("text", stored=False, tokenizer_name="en_stem")
    sb.add_text_field("spec_id", stored=True, tokenizer_name="raw")
    return sb.build()


class TemplateIndex:
    """RetrievalBackend over template chunks; BM25 only (no vectors: `mode` must be bm25)."""

    def __init__(self) -> None:
        self._schema = _schema()
        self._index = tantivy.Index(self._schema)  # no path: held in RAM
        self._chunks: dict[str, Chunk] = {}

    def upsert_spec(self, spec_id: str, chunks: list[Chunk], vectors: np.ndarray) -> IndexUpdate:
        deleted = self.delete_spec(spec_id).deleted
        writer = self._index.writer(heap_size=15_000_000, num_threads=1)
        for chunk in chunks:
            writer.add_document(tantivy.Document(text=chunk.text, spec_id=spec_id))
            self._chunks[spec_id] = chunk
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()
        return IndexUpdate(spec_id=spec_id, upserted=len(chunks), deleted=deleted)

    def bulk_load(self, chunks: list[Chunk]) -> int:
        """Index many templates in one commit (a rebuild); upsert_spec commits per template."""
        writer = self._index.writer(heap_size=15_000_000, num_threads=1)
        for chunk in chunks:
            writer.add_document(tantivy.Document(text=chunk.text, spec_id=chunk.spec_id))
            self._chunks[chunk.spec_id] = chunk
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()
        return len(chunks)

    def delete_spec(self, spec_id: str) -> IndexUpdate:
        if spec_id not in self._chunks:
            return IndexUpdate(spec_id=spec_id)
        writer = self._index.writer(heap_size=15_000_000, num_threads=1)
        writer.delete_documents("spec_id", spec_id)
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()
        del self._chunks[spec_id]
        return IndexUpdate(spec_id=spec_id, deleted=1)

    def search(
        self, query: str, vector: np.ndarray | None, mode: Mode, filters: SearchFilters, top_k: int
    ) -> list[SearchHit]:
        if mode != "bm25":
            raise ValueError(f"template search supports mode 'bm25' only, not {mode!r}")
        words = _WORD.findall(query.lower())
        if not words or not self._chunks:
            return []
        parsed = self._index.parse_query(" ".join(words), ["text"])
        searcher = self._index.searcher()
        hits = []
        for score, address in searcher.search(parsed, max(top_k * 4, top_k)).hits:
            slug = searcher.doc(address)["spec_id"][0]
            if filters.spec_ids is not None and slug not in filters.spec_ids:
                continue
            chunk = self._chunks[slug]
            hits.append(
                SearchHit(
                    chunk_id=chunk.chunk_id,
                    spec_id=slug,
                    text=chunk.text[:300],
                    score=float(score),
                    matched_by=["bm25"],
                )
            )
        return hits[:top_k]

    def spec_ids(self) -> list[str]:
        return sorted(self._chunks)


def template_chunk(card: TemplateCard, content: str) -> Chunk:
    """Title and tags are repeated so a word in the name outranks one deep in the body."""
    text = "\n".join([card.title, card.title, " ".join(card.tags), card.description, content])
    return Chunk(
        chunk_id=f"{card.slug}#template",
        spec_id=card.slug,
        kind="section",
        section_path=[card.title],
        text=text,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


_lock = threading.Lock()
_cache: dict[str, tuple[str, Retriever]] = {}


def _fingerprint(sf: SessionFactory) -> str:
    """Changes whenever a template is published or edited: the index is then rebuilt."""
    from sqlalchemy import func, select

    with sf() as session:
        row = session.execute(
            select(
                func.count(VersionRow.id),
                func.max(VersionRow.published_at),
                func.max(TemplateRow.updated_at),
            )
            .select_from(TemplateRow)
            .outerjoin(VersionRow, VersionRow.template_id == TemplateRow.id)
        ).one()
    return repr(tuple(row))


def _published_contents(sf: SessionFactory) -> dict[str, str]:
    """Latest published body per slug in one query (not one detail read per template)."""
    from sqlalchemy import and_, select

    with sf() as session:
        rows = session.execute(
            select(TemplateRow.slug, VersionRow.content).join(
                VersionRow,
                and_(
                    VersionRow.template_id == TemplateRow.id,
                    VersionRow.version == TemplateRow.latest_version,
                ),
            )
        ).all()
    return {slug: content for slug, content in rows}


def template_retriever(sf: SessionFactory) -> Retriever:
    """A Retriever over the published catalog, cached per store until the catalog changes."""
    bind = sf.kw.get("bind")
    key = str(bind.url) if bind is not None else str(id(sf))
    fingerprint = _fingerprint(sf)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == fingerprint:
            return cached[1]
        index = TemplateIndex()
        contents = _published_contents(sf)
        index.bulk_load(
            [template_chunk(c, contents.get(c.slug, "")) for c in list_templates(sf, limit=100_000)]
        )
        retriever = Retriever(index, embedder=None)
        _cache[key] = (fingerprint, retriever)
        return retriever


def search_templates(sf: SessionFactory, query: str, limit: int = 20) -> list[TemplateCard]:
    """Published templates matching the words of `query`, best first."""
    hits = template_retriever(sf).search(query, SearchFilters(), top_k=limit, mode="bm25")
    order = {h.spec_id: i for i, h in enumerate(hits)}
    cards = list_templates(sf, slugs=list(order), limit=limit)
    return sorted(cards, key=lambda c: order[c.slug])
