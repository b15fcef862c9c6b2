"""Context builder: hybrid retrieval -> relevance gate -> dedup -> token budget, with sources.

Each passage keeps where it came from (spec, section, requirement IDs, commit) so every claim of
an answer can cite it and the page can link back to the spec section. When the specs in scope
have a linked code repository, code symbols and test names (`assistant/linked_code.py`) share
the same budget, each with its repo, file, symbol and line.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

from agentops_pipelines.retrieval.lexicon import lemma, synonyms
from agentops_pipelines.retrieval.models import SearchFilters, SearchHit

SearchFn = Callable[[str, SearchFilters, int], list[SearchHit]]
SourceKind = Literal["spec", "code", "test"]

_WORD = re.compile(r"[a-z0-9][a-z0-9_\-]+")
_STOPWORD_TEXT = """a an and are as at be by can do does for from has have how i if in into is it
its may must not of on or shall should that the their then there these this to was what when
where which who why will with within without you your spec specs system requirement requirements
tell me about please many much per"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


class Source(BaseModel):
    kind: SourceKind = Field(default="spec", description="spec passage, code symbol or test")
    spec_id: str = Field(description="the spec, or for code/test the spec linking the repository")
    section: str = ""
    requirement_ids: list[str] = Field(default_factory=list)
    commit: str | None = None
    chunk_id: str
    repo: str | None = Field(default=None, description="code/test: the linked repository's path")
    file: str | None = Field(default=None, description="code/test: path relative to the repository")
    symbol: str | None = Field(default=None, description="code/test: function, class or test name")
    line: int | None = Field(default=None, description="code/test: 1-based line of the definition")

    @property
    def label(self) -> str:
        commit = f" @{self.commit[:8]}" if self.commit else ""
        if self.kind != "spec":
            covers = f" [{', '.join(self.requirement_ids)}]" if self.requirement_ids else ""
            return f"{self.kind}: {self.file}:{self.line} {self.symbol}{covers}{commit}"
        where = ", ".join(self.requirement_ids) or self.section or "spec"
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


def content_terms(text: str) -> set[str]:
    """Lower-cased, stemmed content words (stopwords and words under 3 letters dropped)."""
    return {
        lemma(word)
        for word in _WORD.findall(text.lower())
        if word not in STOPWORDS and len(word) >= 3
    }


def term_groups(text: str) -> list[frozenset[str]]:
    """Each content word of a question with its synonyms: one group counts once in an overlap."""
    return [synonyms(term) for term in sorted(content_terms(text))]


def overlap(groups: list[frozenset[str]], terms: set[str]) -> int:
    """How many of the question's words (or a synonym of each) the text's `terms` contain."""
    return sum(1 for group in groups if group & terms)


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


CodeFn = Callable[[str, list[str]], list[Passage]]
"""(query, spec ids in scope) -> gated code/test passages, best first (`LinkedCode`)."""


def _spec_candidates(
    hits: list[SearchHit],
    wanted: list[frozenset[str]],
    min_overlap: int,
    commits: dict[str, str | None],
) -> list[Passage]:
    """Hits that pass the relevance gate, first of each chunk id and of each text kept."""
    seen_chunks: set[str] = set()
    seen_text: set[str] = set()
    kept: list[Passage] = []
    for hit in hits:
        digest = _digest(hit.text)
        if hit.chunk_id in seen_chunks or digest in seen_text:
            continue
        terms = content_terms(hit.text + " " + " ".join(hit.section_path))
        if overlap(wanted, terms) < min_overlap:
            continue
        seen_chunks.add(hit.chunk_id)
        seen_text.add(digest)
        source = Source(
            spec_id=hit.spec_id,
            section=" > ".join(hit.section_path),
            requirement_ids=hit.requirement_ids,
            commit=commits.get(hit.spec_id),
            chunk_id=hit.chunk_id,
        )
        kept.append(
            Passage(source=source, text=hit.text, score=hit.score, tokens=estimate_tokens(hit.text))
        )
    return kept


def _digest(text: str) -> str:
    return hashlib.sha1(" ".join(text.lower().split()).encode()).hexdigest()


def _fit(candidates: list[Passage], budget: int, cut_first: bool = False) -> list[Passage]:
    """Passages in order while they fit; one over the budget is skipped (a smaller later one may
    still fit), except that with `cut_first` the best passage alone is cut, not dropped."""
    chosen: list[Passage] = []
    used = 0
    for passage in candidates:
        if used + passage.tokens > budget:
            if chosen or not cut_first or budget <= 0:
                continue
            text = passage.text[: budget * 4]
            passage = passage.model_copy(update={"text": text, "tokens": estimate_tokens(text)})
        chosen.append(passage)
        used += passage.tokens
    return chosen


def build_context(
    query: str,
    search: SearchFn,
    *,
    filters: SearchFilters | None = None,
    budget_tokens: int = 1500,
    top_k: int = 12,
    commits: dict[str, str | None] | None = None,
    min_overlap: int | None = None,
    code: CodeFn | None = None,
    code_share: float = 0.4,
) -> Context:
    """Passages relevant to `query`, best first, deduplicated, within `budget_tokens`.

    The relevance gate keeps a hit only when it shares enough content words with the query
    (`required_overlap`): fused hybrid scores are relative, so without it a question about
    something the specs never mention would still get the "closest" passages as its context.

    With `code`, the specs in scope (the filter's, else those of the retrieved hits) are asked
    for code/test passages. They get up to `code_share` of the budget first, the spec passages
    the rest, and any budget the spec passages leave fills with more code; spec passages come
    first in the context (and in the citation numbers). Nothing linked: the spec-only context.
    """
    filters = filters or SearchFilters()
    hits = search(query, filters, top_k)
    wanted = term_groups(query)
    min_overlap = required_overlap(query) if min_overlap is None else min_overlap
    context = Context(query=query, retrieved=len(hits), budget_tokens=budget_tokens)
    specs = _spec_candidates(hits, wanted, min_overlap, commits or {})
    code_candidates: list[Passage] = []
    if code is not None:
        scope = filters.spec_ids or list(dict.fromkeys(hit.spec_id for hit in hits))
        known = {p.source.chunk_id for p in specs} | {_digest(p.text) for p in specs}
        code_candidates = [
            p
            for p in (code(query, scope) if scope else [])
            if p.source.chunk_id not in known and _digest(p.text) not in known
        ]
    if not code_candidates:
        context.passages = _fit(specs, budget_tokens, cut_first=True)
    else:
        first_code = _fit(code_candidates, int(budget_tokens * code_share))
        code_used = sum(p.tokens for p in first_code)
        spec_passages = _fit(specs, budget_tokens - code_used, cut_first=True)
        room = budget_tokens - code_used - sum(p.tokens for p in spec_passages)
        taken = {p.source.chunk_id for p in first_code}
        more_code = _fit([p for p in code_candidates if p.source.chunk_id not in taken], room)
        chosen = {p.source.chunk_id for p in first_code + more_code}
        context.passages = spec_passages + [
            p for p in code_candidates if p.source.chunk_id in chosen
        ]
    context.used_tokens = sum(p.tokens for p in context.passages)
    return context
