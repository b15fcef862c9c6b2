"""Query latency of the embedded backend at N chunks, against a naive baseline in the same run.

    python benchmarks/retrieval_latency.py --chunks 100000

Vectors: up to --base-docs SciFact abstracts embedded with the real model (128-token truncation,
its cache shared with retrieval_quality.py --max-tokens 128); chunk i gets vector i mod B
plus Gaussian noise (sigma 0.02 per dimension, about 0.4 of the vector's norm), re-normalised, so
neighbourhoods look like real ones without embedding 100k texts. Text: the same abstract's
words, shuffled and cut, plus a synthetic spec/requirement header. Queries: real SciFact claims,
embedded at query time (the LRU cache is cleared, so every timing includes the model).
Naive baseline: rank_bm25 (BM25Okapi) + numpy brute-force dot products + min-max fusion.
Service path: the same queries through `retrieval.spec_search.search` (what SpecGPT, the CLI and the
pages call: settings, cached retriever, query log row), over the same index files, in the same run.
Last line: hybrid_p50_ms=<v> hybrid_p99_ms=<v> service_p50_ms=<v> service_p99_ms=<v>
service_overhead_p50_ms=<v> speedup_vs_naive=<ratio>.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from agentops_pipelines.retrieval.embed_cache import EmbeddingCache, embed_chunks
from agentops_pipelines.retrieval.embedded import EmbeddedBackend
from agentops_pipelines.retrieval.embedding import MiniLMEmbedder
from agentops_pipelines.retrieval.fusion import fuse
from agentops_pipelines.retrieval.models import Chunk, SearchFilters

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ir" / "scifact"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def base_vectors(base_docs: int, cache_dir: Path) -> tuple[list[str], np.ndarray]:
    """Real SciFact vectors: those already cached by retrieval_quality.py, else embed some."""
    import hashlib

    docs = [json.loads(x) for x in (DATA / "corpus.jsonl").read_text().splitlines() if x]
    chunks = []
    for d in docs:
        text = f"{d.get('title', '')}\n{d['text']}".strip()
        chunks.append(
            Chunk(
                chunk_id=d["_id"],
                spec_id="c",
                kind="section",
                text=text,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    corpus_embedder = MiniLMEmbedder(max_tokens=128)  # the quality run's cache key
    cache = EmbeddingCache(cache_dir / "embeddings.sqlite", corpus_embedder.name)
    found = cache.get_many([c.content_hash for c in chunks])
    have = [c for c in chunks if c.content_hash in found][:base_docs]
    if len(have) < min(base_docs, 256):
        have = chunks[:base_docs]
    vectors, computed, _ = embed_chunks(have, corpus_embedder, cache)
    print(f"base vectors: {len(have)} real SciFact embeddings ({computed} computed now)")
    return [c.text for c in have], vectors


def synthesise(n: int, texts: list[str], vectors: np.ndarray, per_spec: int = 100):
    rng = np.random.default_rng(7)
    shuffle = random.Random(7)
    items = []
    for s in range(0, n, per_spec):
        spec_id = f"spec-{s // per_spec:05d}/spec.md"
        chunks, vecs = [], []
        for i in range(s, min(n, s + per_spec)):
            j = i % len(texts)
            words = texts[j].split()
            shuffle.shuffle(words)
            text = f"Spec {s // per_spec} FR-{i:06d}: " + " ".join(words[:80])
            chunks.append(
                Chunk(
                    chunk_id=f"{spec_id}#req:FR-{i:06d}",
                    spec_id=spec_id,
                    kind="requirement",
                    requirement_ids=[f"FR-{i:06d}"],
                    section_path=["Requirements"],
                    text=text,
                    content_hash=str(i),
                )
            )
            v = vectors[j] + rng.normal(0, 0.02, vectors.shape[1]).astype(np.float32)
            vecs.append(v / np.linalg.norm(v))
        items.append((spec_id, chunks, np.stack(vecs).astype(np.float32)))
    return items


def pct(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--naive-queries", type=int, default=30)
    parser.add_argument("--base-docs", type=int, default=2000)
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "agentops-bench"
    )
    args = parser.parse_args()

    embedder = MiniLMEmbedder()
    texts, vectors = base_vectors(args.base_docs, args.cache_dir)
    items = synthesise(args.chunks, texts, vectors)
    queries = [
        json.loads(x)["text"] for x in (DATA / "queries_train.jsonl").read_text().splitlines() if x
    ]
    queries = queries[: args.queries]

    with tempfile.TemporaryDirectory() as tmp:
        before = rss_mb()
        start = time.perf_counter()
        backend = EmbeddedBackend(Path(tmp) / "search_index")
        loaded = backend.bulk_load(items)
        build_s = time.perf_counter() - start
        size_mb = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / 1e6
        print(
            f"index build: {loaded} chunks in {build_s:.1f} s; on disk {size_mb:.0f} MB; "
            f"peak RSS {rss_mb():.0f} MB (+{rss_mb() - before:.0f} MB for the build)"
        )
        for q in queries[:5]:  # warm up readers and the ONNX session
            backend.search(q, embedder.embed_query(q), "hybrid", SearchFilters(), 10)
        timings: dict[str, list[float]] = {"bm25": [], "dense": [], "hybrid": []}
        for mode in timings:
            embedder._cache.clear()
            for q in queries:
                t0 = time.perf_counter()
                vec = None if mode == "bm25" else embedder.embed_query(q)
                backend.search(q, vec, mode, SearchFilters(), 10)
                timings[mode].append((time.perf_counter() - t0) * 1000)
            print(
                f"embedded {mode}: p50={pct(timings[mode], 50):.2f} ms"
                f" p99={pct(timings[mode], 99):.2f} ms"
                f" (n={len(queries)}, top-10, query embedding included)"
            )

        from agentops_pipelines.retrieval import spec_search
        from agentops_pipelines.retrieval.factory import shared_embedder
        from agentops_pipelines.settings import load_settings

        settings = load_settings({"AGENTOPS_HOME": tmp, "AGENTOPS_ARTEFACT_ROOT": tmp})
        t0 = time.perf_counter()
        spec_search.search(queries[0], settings=settings, source="benchmark")
        print(
            f"service first query (opens the index, migrates the log): "
            f"{(time.perf_counter() - t0) * 1000:.0f} ms"
        )
        for q in queries[:5]:
            spec_search.search(q, settings=settings, source="benchmark")
        shared_embedder()._cache.clear()
        service_ms = []
        for q in queries:
            t0 = time.perf_counter()
            spec_search.search(q, settings=settings, source="benchmark")
            service_ms.append((time.perf_counter() - t0) * 1000)
        print(
            f"service hybrid: p50={pct(service_ms, 50):.2f} ms p99={pct(service_ms, 99):.2f} ms"
            f" (n={len(queries)}, query log row included)"
        )

        from rank_bm25 import BM25Okapi

        all_chunks = [c for _, cs, _ in items for c in cs]
        matrix = np.concatenate([v for _, _, v in items])
        t0 = time.perf_counter()
        naive = BM25Okapi([c.text.lower().split() for c in all_chunks])
        print(f"naive build (rank_bm25): {time.perf_counter() - t0:.1f} s")
        naive_ms = []
        embedder._cache.clear()
        for q in queries[: args.naive_queries]:
            t0 = time.perf_counter()
            vec = embedder.embed_query(q)
            bm = naive.get_scores(q.lower().split())
            dn = matrix @ vec
            top_b = np.argsort(-bm)[:100]
            top_d = np.argpartition(-dn, 100)[:100]
            fuse(
                {
                    "bm25": {int(i): float(bm[i]) for i in top_b},
                    "dense": {int(i): float(dn[i]) for i in top_d},
                },
                "minmax",
            )[:10]
            naive_ms.append((time.perf_counter() - t0) * 1000)
        print(
            f"naive hybrid (rank_bm25 + numpy): p50={pct(naive_ms, 50):.2f} ms "
            f"p99={pct(naive_ms, 99):.2f} ms (n={len(naive_ms)})"
        )
        p50, p99 = pct(timings["hybrid"], 50), pct(timings["hybrid"], 99)
        s50, s99 = pct(service_ms, 50), pct(service_ms, 99)
        print(
            f"hybrid_p50_ms={p50:.2f} hybrid_p99_ms={p99:.2f} "
            f"service_p50_ms={s50:.2f} service_p99_ms={s99:.2f} "
            f"service_overhead_p50_ms={s50 - p50:.2f} "
            f"speedup_vs_naive={pct(naive_ms, 50) / p50:.1f}"
        )


if __name__ == "__main__":
    main()
