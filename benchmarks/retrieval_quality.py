"""Retrieval quality on a BEIR-format set: nDCG@10 and recall@100 per mode.

    python benchmarks/retrieval_quality.py --corpus ../shared/data/ir/scifact/corpus.jsonl \
        --queries ../shared/data/ir/scifact/queries_train.jsonl \
        --qrels ../shared/data/ir/scifact/qrels_train.tsv --mode all

Runs the real embedded backend (tantivy BM25 + usearch HNSW + fusion). Corpus vectors are cached
on disk (--cache-dir) keyed by content hash, so a rerun only embeds the queries.
Last line: ndcg@10=<hybrid> recall@100=<hybrid>.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import tempfile
import time
from pathlib import Path

import numpy as np

from agentops_pipelines.retrieval.backend import HybridConfig
from agentops_pipelines.retrieval.embed_cache import EmbeddingCache, embed_chunks
from agentops_pipelines.retrieval.embedded import EmbeddedBackend
from agentops_pipelines.retrieval.embedding import MiniLMEmbedder
from agentops_pipelines.retrieval.models import Chunk, SearchFilters


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    return qrels


def ndcg_at(ranked: list[str], rels: dict[str, int], k: int = 10) -> float:
    dcg = sum(rels.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(rels.values(), reverse=True)[:k]
    idcg = sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], rels: dict[str, int], k: int = 100) -> float:
    relevant = {d for d, r in rels.items() if r > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def build(
    corpus: list[dict], root: Path, cache_dir: Path, embedder, dense: bool = True
) -> EmbeddedBackend:
    chunks = []
    for doc in corpus:
        text = f"{doc.get('title', '')}\n{doc['text']}".strip()
        chunks.append(
            Chunk(
                chunk_id=doc["_id"],
                spec_id="corpus",
                kind="section",
                text=text,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    cache = EmbeddingCache(cache_dir / "embeddings.sqlite", embedder.name)
    start = time.perf_counter()
    if dense:
        vectors, computed, hits = embed_chunks(chunks, embedder, cache)
    else:  # a BM25-only run needs no model time
        vectors, computed, hits = np.zeros((len(chunks), embedder.dim), np.float32), 0, 0
    print(
        f"corpus: {len(chunks)} docs, embedded {computed} (cache hits {hits}) "
        f"in {time.perf_counter() - start:.1f} s"
    )
    backend = EmbeddedBackend(root)
    backend.bulk_load([("corpus", chunks, vectors)])
    return backend


def evaluate(
    backend, embedder, queries, qrels, mode: str, config: HybridConfig
) -> tuple[float, float]:
    backend.hybrid = config
    nd, rc = [], []
    for q in queries:
        vec = None if mode == "bm25" else embedder.embed_query(q["text"])
        hits = backend.search(q["text"], vec, mode, SearchFilters(), 100)
        ranked = [h.chunk_id for h in hits]
        nd.append(ndcg_at(ranked, qrels[q["_id"]]))
        rc.append(recall_at(ranked, qrels[q["_id"]]))
    return sum(nd) / len(nd), sum(rc) / len(rc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--qrels", type=Path, required=True)
    parser.add_argument("--mode", choices=["bm25", "dense", "hybrid", "all"], default="all")
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "agentops-bench"
    )
    parser.add_argument(
        "--max-tokens", type=int, default=256, help="truncation; 128 halves the embedding time"
    )
    parser.add_argument("--sweep", action="store_true", help="also try every fusion method/weight")
    args = parser.parse_args()

    qrels = read_qrels(args.qrels)
    queries = [q for q in read_jsonl(args.queries) if q["_id"] in qrels]
    embedder = MiniLMEmbedder(max_tokens=args.max_tokens)
    with tempfile.TemporaryDirectory() as tmp:
        backend = build(
            read_jsonl(args.corpus), Path(tmp), args.cache_dir, embedder, args.mode != "bm25"
        )
        default = HybridConfig()
        modes = ["bm25", "dense", "hybrid"] if args.mode == "all" else [args.mode]
        result = (0.0, 0.0)
        for mode in modes:
            result = evaluate(backend, embedder, queries, qrels, mode, default)
            print(
                f"mode={mode} queries={len(queries)}"
                f" ndcg@10={result[0]:.4f} recall@100={result[1]:.4f}"
            )
        if args.sweep:
            for method in ("minmax", "zscore", "rrf"):
                for w in (0.3, 0.4, 0.5, 0.6):
                    cfg = HybridConfig(method=method, bm25_weight=w, dense_weight=1 - w)
                    nd, rc = evaluate(backend, embedder, queries, qrels, "hybrid", cfg)
                    print(
                        f"sweep method={method} bm25_weight={w}"
                        f" ndcg@10={nd:.4f} recall@100={rc:.4f}"
                    )
        print(f"ndcg@10={result[0]:.4f} recall@100={result[1]:.4f}")


if __name__ == "__main__":
    main()
