"""The retrieval contract: chunks in, hits out, the same for every backend."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Retriever = Literal["bm25", "dense"]
Mode = Literal["bm25", "dense", "hybrid"]


class Chunk(BaseModel):
    """One requirement or one section of a spec, the unit that is embedded and indexed."""

    chunk_id: str = Field(description="spec id + requirement id or section path; never a position")
    spec_id: str
    workspace: str = "default"
    kind: Literal["requirement", "section"]
    requirement_ids: list[str] = Field(default_factory=list)
    section_path: list[str] = Field(default_factory=list)
    text: str
    content_hash: str = Field(description="sha256 of the embedded text: the embedding cache key")

    @property
    def section(self) -> str:
        return " > ".join(self.section_path)


class SpecChunks(BaseModel):
    spec_id: str
    chunks: list[Chunk] = Field(default_factory=list)


class SpecEmbeddings(BaseModel):
    """Chunks plus their vectors (row i belongs to chunk i)."""

    spec_id: str
    model: str
    chunks: list[Chunk] = Field(default_factory=list)
    vectors: list[list[float]] = Field(default_factory=list)
    computed: int = 0
    cache_hits: int = 0


class SearchFilters(BaseModel):
    spec_ids: list[str] | None = None
    workspace: str | None = None
    section_prefix: str | None = Field(
        default=None, description="Matches chunks whose heading path starts with this heading"
    )


class SearchHit(BaseModel):
    chunk_id: str
    spec_id: str
    requirement_ids: list[str] = Field(default_factory=list)
    section_path: list[str] = Field(default_factory=list)
    text: str
    score: float
    matched_by: list[Retriever] = Field(default_factory=list)


class IndexUpdate(BaseModel):
    spec_id: str
    upserted: int = 0
    deleted: int = 0
