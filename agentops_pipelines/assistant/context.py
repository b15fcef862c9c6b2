"""Context builder: hybrid retrieval -> relevance gate -> dedup -> token budget, with sources.

Each passage keeps where it came from (spec, section, requirement IDs, commit) so every claim of
an answer can cite it and the page can link back to the spec section.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable

from pydantic import BaseModel, Field

from agentops_pipelines.retrieval.models import SearchFilters, SearchHit

SearchFn = Callable[[str, SearchFilters, int], list[SearchHit]]

_WORD = re.compile(r"[a-z0-9][a-z0-9_\-]+")
_STOPWORD_TEXT = """a an and are as at be by can do does for from has have how i if in into is it
its may must not of on or shall should that the their then there these this to was what when
where which who why will with within without you your spec specs system requirement requirements
tell me about please"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


class Source(BaseModel):
    spec_id: str
    section: str = ""
    requirement_ids: list[str] = Field(default_factory=list)
    commit: str | None = None
    chunk_id: str

    @property
    def label(self) -> str:
        where = ", ".join(self.requirement_ids) or self.section or "spec"
        commit = f" @{self.commit[:8]}" if self.commit else ""
        return f"{self.spec_id} § {where}{commit}"


class Passage(BaseModel):
    source: Source
    text: str
    score: float
    tokens: int


class Context(BaseModel):
    query: str
    passages: list[Passage] = Field(default_factory=list)
    retrieved: int = Field(0, description="hits returned by retrieval before gating")
    budget_tokens: int
    used_tokens: int = 0


def estimate_tokens(text: str) -> int:
    """~4 characters per token (the offline provider's rule too): no tokenizer dependency."""
    return max(1, len(text) // 4)


def _stem(word: str) -> str:
    """Crude suffix stripping so 'retained' meets 'retain' and 'invoices' meets 'invoice'."""
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> set[str]:
    """Lower-cased, stemmed content words (stopwords and words under 3 letters dropped)."""
    return {
        _stem(word)
        for word in _WORD.findall(text.lower())
        if word not in STOPWORDS and len(word) >= 3
    }


def required_overlap(query: str) -> int:
    """Half the query's content words, at most 2: one stray shared word ('machine') is not
    enough for a 4-word question, while a 1-word question needs its word."""
    return max(1, min(2, math.ceil(len(content_terms(query)) / 2)))


def passage_body(text: str, section: str) -> str:
    """A chunk's text without the spec title and heading-path lines the chunker puts first."""
    lines = text.split("\n")
    if len(lines) > 2 and lines[1].strip() == section.strip():
        return "\n".join(lines[2:])
    return text


def build_context(
    query: str,
    search: SearchFn,
    *,
    filters: SearchFilters | None = None,
    budget_tokens: int = 1500,
    top_k: int = 12,
    commits: dict[str, str | None] | None = None,
    min_overlap: int | None = None,
) -> Context:
    """Passages relevant to `query`, best first, deduplicated, within `budget_tokens`.

    The relevance gate keeps a hit only when it shares enough content words with the query
    (`required_overlap`): fused hybrid scores are relative, so without it a question about
    something the specs never mention would still get the "closest" passages as its context.
    """
    hits = search(query, filters or SearchFilters(), top_k)
    wanted = content_terms(query)
    min_overlap = required_overlap(query) if min_overlap is None else min_overlap
    context = Context(query=query, retrieved=len(hits), budget_tokens=budget_tokens)
    seen_chunks: set[str] = set()
    seen_text: set[str] = set()
    for hit in hits:
        digest = hashlib.sha1(" ".join(hit.text.lower().split()).encode()).hexdigest()
        if hit.chunk_id in seen_chunks or digest in seen_text:
            continue
        if len(wanted & content_terms(hit.text + " " + " ".join(hit.section_path))) < min_overlap:
            continue
        tokens = estimate_tokens(hit.text)
        if context.used_tokens + tokens > budget_tokens:
            if context.passages:
                continue  # a smaller later passage may still fit
            text = hit.text[: budget_tokens * 4]  # the best passage alone is cut, not dropped
            tokens = estimate_tokens(text)
        else:
            text = hit.text
        seen_chunks.add(hit.chunk_id)
        seen_text.add(digest)
        context.passages.append(
            Passage(
                source=Source(
                    spec_id=hit.spec_id,
                    section=" > ".join(hit.section_path),
                    requirement_ids=hit.requirement_ids,
                    commit=(commits or {}).get(hit.spec_id),
                    chunk_id=hit.chunk_id,
                ),
                text=text,
                score=hit.score,
                tokens=tokens,
            )
        )
        context.used_tokens += tokens
    return context
