"""Ask: an answer grounded in retrieved spec passages, every claim citing its source.

With a model provider the router writes the answer (structured: claims + passage numbers, and
claims citing no given passage are dropped). Without one the answer is extractive: the passage
sentences that best match the question, each cited. No relevant passage -> "not found in the
specs". Code and test passages of a linked repository are cited the same way; in the text their
citation carries the kind (`[3:test]`), so a reader tells them from spec citations.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from agentops_pipelines.assistant.context import (
    Context,
    Source,
    content_terms,
    overlap,
    passage_body,
    term_groups,
)
from agentops_pipelines.assistant.prompts import render
from agentops_pipelines.llm import LLMRequest, Message, Router, TaskType
from agentops_pipelines.security import redact

NOT_FOUND = "not found in the specs"
EXTRACTIVE_MODEL = "extractive-v1"


class Claim(BaseModel):
    text: str
    citations: list[int] = Field(description="1-based indexes into Answer.sources")


class Answer(BaseModel):
    question: str
    found: bool
    claims: list[Claim] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    template: str
    template_version: str
    model: str

    def citation(self, n: int) -> str:
        """`[n]` for a spec passage, `[n:test]` / `[n:code]` for a linked repository's."""
        kind = self.sources[n - 1].kind if 0 < n <= len(self.sources) else "spec"
        return f"[{n}]" if kind == "spec" else f"[{n}:{kind}]"

    @property
    def text(self) -> str:
        if not self.found:
            return NOT_FOUND
        return " ".join(
            f"{c.text} " + "".join(self.citation(n) for n in c.citations) for c in self.claims
        )


class _ModelClaim(BaseModel):
    text: str
    sources: list[int] = Field(default_factory=list)


class AskOutput(BaseModel):
    """What the model must return: claims, each with the numbers of its passages."""

    found: bool
    claims: list[_ModelClaim] = Field(default_factory=list)


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
ASKS_FOR_CODE = frozenset({"test", "code", "function", "method", "class", "implement"})
"""Stemmed question words that ask about the implementation: then a code/test sentence competes
with spec sentences on equal terms; otherwise it ranks one overlap point lower (spec first)."""


def _clean(sentence: str) -> str:
    """Markdown emphasis, list markers and a leading 'FR-009:' label removed, spaces folded."""
    text = re.sub(r"\*\*|__", "", sentence)
    text = re.sub(r"^[\s\-*#\d.]*(?:[A-Z]{1,5}-[\w-]+:\s*)?", "", text)
    return " ".join(text.split())


def extractive_claims(question: str, context: Context, max_claims: int = 4) -> list[Claim]:
    """Best-matching sentences of the passages, most overlapping first, one citation each."""
    wanted = term_groups(question)
    code_penalty = 0 if content_terms(question) & ASKS_FOR_CODE else 1
    scored: list[tuple[float, int, str]] = []
    for index, passage in enumerate(context.passages, start=1):
        penalty = code_penalty if passage.source.kind != "spec" else 0
        for sentence in _SENTENCE.split(passage_body(passage.text, passage.source.section)):
            clean = _clean(sentence)
            shared = overlap(wanted, content_terms(clean))
            if len(clean.split()) >= 5 and shared:
                scored.append((shared - penalty + 1.0 / index, index, clean))
    scored.sort(key=lambda s: -s[0])
    claims: list[Claim] = []
    seen: set[str] = set()
    for _, index, sentence in scored:
        if sentence.lower() in seen:
            continue
        seen.add(sentence.lower())
        claims.append(Claim(text=sentence, citations=[index]))
        if len(claims) == max_claims:
            break
    return claims


def answer(
    question: str,
    context: Context,
    *,
    router: Router | None = None,
    model_enabled: bool = False,
    lang: str = "en",
    workspace: str = "default",
    run_id: str | None = None,
) -> Answer:
    prompt = render("ask", lang, question=question, passages=context.passages)
    base: dict[str, Any] = {
        "question": question,
        "template": prompt.template_id,
        "template_version": prompt.version,
    }
    sources = [p.source for p in context.passages]
    if not context.passages:
        return Answer(found=False, model=EXTRACTIVE_MODEL, **base)
    if model_enabled and router is not None:
        result = router.complete(
            LLMRequest(
                task_type=TaskType.SUMMARY,
                messages=[Message(role="user", content=redact(prompt.text).text)],
                workspace=workspace,
                run_id=run_id,
                output_schema=AskOutput,
            )
        )
        data = AskOutput.model_validate(result.data or {"found": False})
        claims = [
            Claim(
                text=c.text.strip(),
                citations=sorted({n for n in c.sources if 1 <= n <= len(sources)}),
            )
            for c in data.claims
        ]
        claims = [c for c in claims if c.citations and c.text]
        if data.found and claims:
            return Answer(
                found=True, claims=claims, sources=sources, model=result.model or "?", **base
            )
        if not data.found:
            return Answer(found=False, model=result.model or "?", **base)
    claims = extractive_claims(question, context)
    if not claims:
        return Answer(found=False, model=EXTRACTIVE_MODEL, **base)
    return Answer(found=True, claims=claims, sources=sources, model=EXTRACTIVE_MODEL, **base)
