"""Hybrid fusion of ranked lists: min-max or z-score normalised linear combination, or RRF.

Each input is {chunk_id: raw score} from one retriever. A chunk missing from a list scores the
normalised minimum (0) there, as OpenSearch's normalization-processor does.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal, TypeVar

import numpy as np

FusionMethod = Literal["minmax", "zscore", "rrf"]
K = TypeVar("K", bound=Hashable)


def _normalise(scores: dict[K, float], method: str) -> dict[K, float]:
    if not scores:
        return {}
    values = np.fromiter(scores.values(), dtype=np.float64)
    if method == "minmax":
        low, span = values.min(), values.max() - values.min()
        norm = (values - low) / span if span > 0 else np.ones_like(values)
    else:
        std = values.std()
        norm = (values - values.mean()) / std if std > 0 else np.zeros_like(values)
        norm = norm - norm.min()  # absent = lowest seen, so presence never hurts
    return dict(zip(scores, norm.tolist(), strict=True))


def fuse(
    ranked: dict[str, dict[K, float]],
    method: FusionMethod = "minmax",
    weights: dict[str, float] | None = None,
    rrf_k: int = 60,
) -> list[tuple[K, float]]:
    """Combine retriever -> {chunk_id: score}; returns (chunk_id, fused) best first."""
    weights = weights or {}
    fused: dict[K, float] = {}
    for retriever, scores in ranked.items():
        w = weights.get(retriever, 1.0)
        if method == "rrf":
            order = sorted(scores, key=scores.__getitem__, reverse=True)
            for rank, cid in enumerate(order, start=1):
                fused[cid] = fused.get(cid, 0.0) + w / (rrf_k + rank)
        else:
            for cid, s in _normalise(scores, method).items():
                fused[cid] = fused.get(cid, 0.0) + w * s
    return sorted(fused.items(), key=lambda kv: (-kv[1], str(kv[0])))
