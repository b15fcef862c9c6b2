"""k-NN and hybrid requests (osmem-server rejects them) asserted against OpenSearch's format."""

from __future__ import annotations

import numpy as np
from opensearchpy import OpenSearch

from agentops_pipelines.retrieval import opensearch_queries as bodies
from agentops_pipelines.retrieval.backend import HybridConfig
from agentops_pipelines.retrieval.models import SearchFilters
from agentops_pipelines.retrieval.opensearch_backend import OpenSearchBackend

FILTERS = SearchFilters(spec_ids=["billing/spec.md"], workspace="acme", section_prefix="Billing")
FILTER_CLAUSES = [
    {"terms": {"spec_id": ["billing/spec.md"]}},
    {"term": {"workspace": "acme"}},
    {"term": {"section": "Billing"}},
]


def backend(config: HybridConfig | None = None) -> OpenSearchBackend:
    return OpenSearchBackend(OpenSearch(hosts=["http://127.0.0.1:9"]), hybrid=config)


def test_index_mapping_has_text_and_knn_vector_fields() -> None:
    body = bodies.index_body(384)
    assert body["settings"]["index"]["knn"] is True
    props = body["mappings"]["properties"]
    assert props["text"]["type"] == "text"
    assert props["embedding"] == {
        "type": "knn_vector",
        "dimension": 384,
        "method": {
            "name": "hnsw",
            "space_type": "innerproduct",
            "engine": "faiss",
            "parameters": {"m": 16, "ef_construction": 128},
        },
    }
    assert props["spec_id"] == {"type": "keyword"}


def test_knn_request_body_with_efficient_filter() -> None:
    body, params = backend().request_for("q", np.array([0.5, 0.25]), "dense", FILTERS, 7)
    assert params == {}
    assert body == {
        "size": 7,
        "_source": {"excludes": ["embedding"]},
        "query": {
            "knn": {
                "embedding": {
                    "vector": [0.5, 0.25],
                    "k": 7,
                    "_name": "dense",
                    "filter": {"bool": {"filter": FILTER_CLAUSES}},
                }
            }
        },
    }


def test_hybrid_request_body_names_the_search_pipeline() -> None:
    body, params = backend().request_for("refund", np.array([1.0]), "hybrid", SearchFilters(), 5)
    assert params == {"search_pipeline": "agentops-hybrid"}
    assert body["size"] == 5
    assert body["query"] == {
        "hybrid": {
            "queries": [
                {
                    "bool": {
                        "must": [{"match": {"text": {"query": "refund", "_name": "bm25"}}}],
                        "filter": [],
                        # synonyms of the query words (retrieval/lexicon.py) count half
                        "should": [{"match": {"text": {"query": "reimburse", "boost": 0.5}}}],
                    }
                },
                {"knn": {"embedding": {"vector": [1.0], "k": 100, "_name": "dense"}}},
            ]
        }
    }


def test_search_pipeline_uses_the_normalization_processor() -> None:
    minmax = bodies.pipeline_body(HybridConfig(method="minmax", bm25_weight=0.3, dense_weight=0.7))
    assert minmax["phase_results_processors"] == [
        {
            "normalization-processor": {
                "normalization": {"technique": "min_max"},
                "combination": {
                    "technique": "arithmetic_mean",
                    "parameters": {"weights": [0.3, 0.7]},
                },
            }
        }
    ]
    z = bodies.pipeline_body(HybridConfig(method="zscore"))
    assert z["phase_results_processors"][0]["normalization-processor"]["normalization"] == {
        "technique": "z_score"
    }
    rrf = bodies.pipeline_body(HybridConfig(method="rrf"))
    assert rrf["phase_results_processors"] == [
        {"score-ranker-processor": {"combination": {"technique": "rrf", "rank_constant": 60}}}
    ]


def test_bm25_request_goes_over_http_to_osmem(osmem_url) -> None:
    client = OpenSearch(hosts=[osmem_url])
    os_backend = OpenSearchBackend(client, index="bodies-empty")
    assert os_backend.search("anything", None, "bm25", SearchFilters(), 3) == []
    body, _ = os_backend.request_for("refund", None, "bm25", FILTERS, 3)
    assert body["query"]["bool"]["filter"] == FILTER_CLAUSES
