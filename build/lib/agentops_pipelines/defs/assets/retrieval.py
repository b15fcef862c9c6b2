"""SpecGPT retrieval: chunks -> embeddings -> search index, one partition per spec."""

import dagster as dg
import numpy as np

from agentops_pipelines.defs.partitions import SPEC_PARTITIONS_NAME, spec_partitions
from agentops_pipelines.resources.retrieval import SearchBackend
from agentops_pipelines.retrieval.chunking import chunk_spec
from agentops_pipelines.retrieval.embed_cache import embed_chunks
from agentops_pipelines.retrieval.models import IndexUpdate, SpecChunks, SpecEmbeddings
from agentops_pipelines.retrieval.prune import prune_removed_specs
from agentops_pipelines.specs.models import SpecDocument


@dg.asset(
    partitions_def=spec_partitions,
    group_name="retrieval",
    kinds={"python"},
    code_version="1",
    automation_condition=dg.AutomationCondition.eager(),
)
def spec_chunks(spec_document: SpecDocument, search: SearchBackend) -> dg.Output[SpecChunks]:
    """One chunk per requirement or section, with heading path and stable IDs."""
    chunks = chunk_spec(spec_document, workspace=search.workspace)
    return dg.Output(
        SpecChunks(spec_id=spec_document.spec_id, chunks=chunks),
        metadata={"chunks": len(chunks)},
    )


@dg.asset(
    partitions_def=spec_partitions,
    group_name="retrieval",
    kinds={"python", "onnx"},
    code_version="1",
    automation_condition=dg.AutomationCondition.eager(),
)
def spec_embeddings(spec_chunks: SpecChunks, search: SearchBackend) -> dg.Output[SpecEmbeddings]:
    """MiniLM sentence vectors per chunk, cached by content hash."""
    embedder = search.embedder()
    vectors, computed, hits = embed_chunks(spec_chunks.chunks, embedder, search.embedding_cache())
    out = SpecEmbeddings(
        spec_id=spec_chunks.spec_id,
        model=embedder.name,
        chunks=spec_chunks.chunks,
        vectors=vectors.tolist(),
        computed=computed,
        cache_hits=hits,
    )
    return dg.Output(
        out, metadata={"chunks": len(out.chunks), "embedded": computed, "cache_hits": hits}
    )


@dg.asset(
    partitions_def=spec_partitions,
    group_name="retrieval",
    kinds={"tantivy", "opensearch"},
    code_version="1",
    automation_condition=dg.AutomationCondition.eager(),
)
def search_index(
    context: dg.AssetExecutionContext, spec_embeddings: SpecEmbeddings, search: SearchBackend
) -> dg.Output[IndexUpdate]:
    """This spec's chunks in the hybrid search index (upserts and deletes for this spec only)."""
    vectors = np.asarray(spec_embeddings.vectors, dtype=np.float32).reshape(-1, 384)
    update = search.index().upsert_spec(spec_embeddings.spec_id, spec_embeddings.chunks, vectors)
    live = context.instance.get_dynamic_partitions(SPEC_PARTITIONS_NAME)
    pruned = prune_removed_specs(search.index(), [*live, spec_embeddings.spec_id])
    return dg.Output(
        update,
        metadata={
            "upserted": update.upserted,
            "deleted": update.deleted,
            "removed_specs": len(pruned),
            "backend": search.backend,
        },
    )
