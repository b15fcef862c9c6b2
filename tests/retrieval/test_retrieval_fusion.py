from __future__ import annotations

import pytest

from agentops_pipelines.retrieval.fusion import fuse

RANKED = {"bm25": {"a": 10.0, "b": 5.0, "c": 1.0}, "dense": {"c": 0.9, "b": 0.8, "d": 0.1}}


def test_minmax_combines_normalised_scores_with_weights() -> None:
    fused = dict(fuse(RANKED, "minmax", {"bm25": 0.5, "dense": 0.5}))
    assert fused["a"] == pytest.approx(0.5)  # 1.0 in bm25, absent from dense
    assert fused["b"] == pytest.approx(0.5 * (4 / 9) + 0.5 * (0.7 / 0.8))
    assert fused["d"] == pytest.approx(0.0)


def test_weights_change_the_winner() -> None:
    assert fuse(RANKED, "minmax", {"bm25": 0.9, "dense": 0.1})[0][0] == "a"
    assert fuse(RANKED, "minmax", {"bm25": 0.1, "dense": 0.9})[0][0] == "c"


def test_rrf_rewards_agreement_between_retrievers() -> None:
    order = [cid for cid, _ in fuse(RANKED, "rrf")]
    assert order[0] in {"b", "c"} and order[-1] == "d"
    assert dict(fuse(RANKED, "rrf"))["a"] == pytest.approx(1 / 61)


def test_zscore_never_scores_a_present_doc_below_an_absent_one() -> None:
    fused = dict(fuse(RANKED, "zscore"))
    assert min(fused.values()) >= 0.0
    assert fused["b"] > fused["d"]


def test_empty_lists_fuse_to_nothing() -> None:
    assert fuse({"bm25": {}, "dense": {}}, "zscore") == []
