"""Full ingest of a synthetic spec corpus, then one edited requirement: the incremental cost.

    python benchmarks/ingest_incremental.py --specs 1000

Runs the same domain calls as the three assets (chunk_spec -> embed_chunks with the content-hash
cache -> backend.upsert_spec) with the real model and the embedded backend. Re-ingest is what
Dagster does after the edit: only the changed spec's partition runs. For comparison it also
reruns every partition (e.g. after a code_version bump), where the cache still avoids re-embedding.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
import time
from pathlib import Path

from agentops_pipelines.retrieval.chunking import chunk_spec
from agentops_pipelines.retrieval.embed_cache import EmbeddingCache, embed_chunks
from agentops_pipelines.retrieval.embedded import EmbeddedBackend
from agentops_pipelines.retrieval.embedding import MiniLMEmbedder
from agentops_pipelines.specs.models import Requirement, Section, SourceSpan, SpecDocument

NOUNS = [
    "invoice",
    "customer",
    "payment",
    "refund",
    "report",
    "user",
    "password",
    "account",
    "order",
    "export",
    "webhook",
    "token",
    "budget",
    "plan",
    "task",
    "review",
    "approval",
    "audit",
    "log",
    "email",
    "notification",
    "tenant",
]
VERBS = [
    "send",
    "create",
    "update",
    "delete",
    "export",
    "approve",
    "reject",
    "list",
    "archive",
    "notify",
    "validate",
]


def synthetic_doc(i: int, reqs: int, rng: random.Random, edited: str | None = None) -> SpecDocument:
    requirements = []
    for r in range(reqs):
        rid = f"FR-{r + 1:03d}"
        text = (
            f"The system shall {rng.choice(VERBS)} the {rng.choice(NOUNS)} of each "
            f"{rng.choice(NOUNS)} when the {rng.choice(NOUNS)} is {rng.choice(VERBS)}d "
            f"within {rng.randint(1, 90)} days (spec {i})."
        )
        if edited and rid == "FR-001":
            text = edited
        requirements.append(
            Requirement(
                id=rid,
                id_source="author",
                text=text,
                section_path=[f"Feature {i}", "Requirements"],
                span=SourceSpan(start_line=5 + r, end_line=5 + r),
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    return SpecDocument(
        spec_id=f"feature-{i:04d}/spec.md",
        format="spec-kit",
        title=f"Feature {i}",
        content_hash=str(i),
        requirements=requirements,
        sections=[
            Section(
                path=[f"Feature {i}"],
                level=1,
                title=f"Feature {i}",
                text=f"Feature {i} lets a {rng.choice(NOUNS)} manage {rng.choice(NOUNS)}s.",
                span=SourceSpan(start_line=1, end_line=3),
            )
        ],
    )


def ingest(docs, embedder, cache, backend) -> tuple[float, int, int, int]:
    start, embedded, hits, upserted = time.perf_counter(), 0, 0, 0
    for doc in docs:
        chunks = chunk_spec(doc)
        vectors, computed, cached = embed_chunks(chunks, embedder, cache)
        update = backend.upsert_spec(doc.spec_id, chunks, vectors)
        embedded, hits, upserted = embedded + computed, hits + cached, upserted + update.upserted
    return time.perf_counter() - start, embedded, hits, upserted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--specs", type=int, default=1000)
    parser.add_argument("--requirements", type=int, default=4)
    args = parser.parse_args()
    docs = [synthetic_doc(i, args.requirements, random.Random(i)) for i in range(args.specs)]
    embedder = MiniLMEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        cache = EmbeddingCache(Path(tmp) / "cache.sqlite", embedder.name)
        backend = EmbeddedBackend(Path(tmp) / "search_index")
        full = ingest(docs, embedder, cache, backend)
        print(
            f"full ingest: {args.specs} specs, {full[0]:.2f} s, embeddings computed={full[1]} "
            f"cache_hits={full[2]} upserted={full[3]}"
        )
        target = args.specs // 2
        docs[target] = synthetic_doc(
            target,
            args.requirements,
            random.Random(target),
            edited="The system shall email a signed PDF receipt.",
        )
        one = ingest([docs[target]], embedder, cache, backend)
        print(
            f"re-ingest (changed partition only): {one[0] * 1000:.1f} ms, embeddings "
            f"computed={one[1]} cache_hits={one[2]} upserted={one[3]}"
        )
        every = ingest(docs, embedder, cache, backend)
        print(
            f"rerun of every partition (for comparison): {every[0]:.2f} s, embeddings "
            f"computed={every[1]} cache_hits={every[2]} upserted={every[3]}"
        )
        print(
            f"full_s={full[0]:.2f} reingest_s={one[0]:.4f} time_ratio={one[0] / full[0]:.5f} "
            f"embeddings_full={full[1]} embeddings_reingest={one[1]} "
            f"embedding_ratio={one[1] / max(full[1], 1):.5f}"
        )


if __name__ == "__main__":
    main()
