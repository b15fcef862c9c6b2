"""Marketplace benchmark on real specs: automatic upload checks, catalog listing and search.

Every requirements.md of the Kiro corpus and every OpenSpec spec under ../shared/data/specs is
wrapped in front matter and uploaded through the same validation as a user upload (reporting how
many the automatic rules refuse and why: false positives on real text), then stored and
published, rated and downloaded; listing and search latency are measured on that catalog.

    .venv/bin/python benchmarks/marketplace_catalog.py [--data ../shared/data/specs]

Last line: `templates=<n> rejected=<n> validate_ms_p50=<v> list_ms_p50=<v> search_ms_p50=<v>
index_build_ms=<v>`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

from agentops_pipelines.marketplace import catalog, ratings
from agentops_pipelines.marketplace.errors import UploadRejected
from agentops_pipelines.marketplace.moderation import store
from agentops_pipelines.marketplace.search import search_templates, template_retriever
from agentops_pipelines.marketplace.seed import seed_catalog
from agentops_pipelines.marketplace.upload import validate_upload
from agentops_pipelines.store.db import open_store

QUERIES = [
    "password reset",
    "backfill rollback",
    "rate limit api",
    "notification email",
    "dashboard metrics",
    "file upload",
    "search index",
    "user permissions",
]


def wrap(path: Path, root: Path, i: int) -> bytes:
    rel = path.relative_to(root)
    title = f"{rel.parts[0]} {rel.parent.name}".replace("_", " ")[:100]
    header = {
        "title": title,
        "slug": f"bench-{i:04d}",
        "kind": "spec_template",
        "license": "MIT",
        "version": "1.0.0",
        "description": f"Benchmark template from {rel.parent} (MIT upstream)",
        "tags": ["bench"],
    }
    return f"---\n{yaml.safe_dump(header)}---\n{path.read_text(encoding='utf-8')}".encode()


def ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data/specs"))
    args = parser.parse_args()
    files = sorted(args.data.glob("kiro-spec-engine-sce/**/requirements.md"))
    files += sorted(args.data.glob("openspec/specs/**/spec.md"))
    sf = open_store(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    seed_catalog(sf)
    validate_times, reasons, accepted = [], Counter(), []
    for i, path in enumerate(files):
        payload = wrap(path, args.data, i)
        start = time.perf_counter()
        try:
            accepted.append(validate_upload("t.md", payload))
        except UploadRejected as err:
            for problem in err.problems:
                reasons[problem.split(": ", 1)[-1].split(";")[0][:60]] += 1
        validate_times.append(time.perf_counter() - start)
    for v in accepted:
        store(sf, v, "bench", trusted=True)
    rng = random.Random(7)
    cards = catalog.list_templates(sf, limit=100_000)
    for card in rng.sample(cards, min(200, len(cards))):
        ratings.rate(sf, card.slug, f"u{rng.randint(0, 50)}", rng.randint(1, 5))
        catalog.download(sf, card.slug, "u", "ws", entitled=lambda _w, _s: True)
    start = time.perf_counter()
    template_retriever(sf)
    build = time.perf_counter() - start
    list_times, search_times = [], []
    for sort in ("popular", "newest", "rating") * 5:
        start = time.perf_counter()
        catalog.list_templates(sf, sort=sort)  # type: ignore[arg-type]
        list_times.append(time.perf_counter() - start)
    for query in QUERIES * 3:
        start = time.perf_counter()
        search_templates(sf, query)
        search_times.append(time.perf_counter() - start)
    print(f"specs uploaded: {len(files)}; accepted {len(accepted)}; catalog {len(cards)}")
    for reason, count in reasons.most_common(8):
        print(f"  rejected {count:>3}x: {reason}")
    print(
        f"templates={len(cards)} rejected={len(files) - len(accepted)} "
        f"validate_ms_p50={ms(validate_times)} list_ms_p50={ms(list_times)} "
        f"search_ms_p50={ms(search_times)} index_build_ms={round(build * 1000, 1)}"
    )


if __name__ == "__main__":
    main()
