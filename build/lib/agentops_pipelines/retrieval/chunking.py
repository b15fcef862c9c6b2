"""Structure-aware chunking: one chunk per requirement, one per section with body text.

Chunk IDs come from the spec ID plus the requirement ID or the heading path, so an edit elsewhere
in the spec (a new paragraph above, a renumbered line) leaves every other chunk's ID and content
hash untouched, and only the edited chunk is re-embedded.
"""

from __future__ import annotations

import hashlib

from agentops_pipelines.retrieval.models import Chunk
from agentops_pipelines.specs.models import Requirement, SpecDocument


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _requirement_text(doc: SpecDocument, req: Requirement) -> str:
    """Title, heading path and criteria go into the text: they are what people search for."""
    parts = [doc.title, " > ".join(req.section_path)]
    parts.append(f"{req.id}: {req.title}" if req.title else req.id)
    parts.append(req.text)
    parts.extend(ac.text for ac in req.acceptance_criteria)
    return "\n".join(p for p in parts if p)


def chunk_spec(doc: SpecDocument, workspace: str = "default") -> list[Chunk]:
    chunks: list[Chunk] = []
    counts: dict[str, int] = {}
    for req in doc.requirements:
        text = _requirement_text(doc, req)
        counts[req.id] = counts.get(req.id, 0) + 1
        suffix = "" if counts[req.id] == 1 else f"~{counts[req.id]}"  # a duplicated author ID
        chunks.append(
            Chunk(
                chunk_id=f"{doc.spec_id}#req:{req.id}{suffix}",
                spec_id=doc.spec_id,
                workspace=workspace,
                kind="requirement",
                requirement_ids=[req.id],
                section_path=list(req.section_path),
                text=text,
                content_hash=_hash(text),
            )
        )
    seen: set[str] = set()
    for section in doc.sections:
        body = section.text.strip()
        key = "/".join(section.path)
        if not body or key in seen:
            continue
        seen.add(key)
        text = "\n".join([doc.title, " > ".join(section.path), body])
        chunks.append(
            Chunk(
                chunk_id=f"{doc.spec_id}#sec:{key}",
                spec_id=doc.spec_id,
                workspace=workspace,
                kind="section",
                section_path=list(section.path),
                text=text,
                content_hash=_hash(text),
            )
        )
    return chunks
