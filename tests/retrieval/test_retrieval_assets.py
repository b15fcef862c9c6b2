"""The three assets wired through Dagster; counters prove a one-requirement edit is incremental."""

from pathlib import Path

import dagster as dg
from conftest import make_doc

from agentops_pipelines.defs.assets.retrieval import search_index, spec_chunks, spec_embeddings
from agentops_pipelines.defs.partitions import spec_partitions
from agentops_pipelines.resources.artefact_io import PydanticArtefactIOManager
from agentops_pipelines.resources.retrieval import SearchBackend
from agentops_pipelines.retrieval.embedded import EmbeddedBackend
from agentops_pipelines.retrieval.models import SearchFilters
from agentops_pipelines.specs.models import SpecDocument

DOCS: dict[str, SpecDocument] = {}


@dg.asset(name="spec_document", partitions_def=spec_partitions)
def fake_spec_document(context: dg.AssetExecutionContext) -> SpecDocument:
    """Stands in for the parser so this test only wires retrieval."""
    return DOCS[context.partition_key]


def run(tmp_path: Path, instance: dg.DagsterInstance, key: str) -> dict[str, dict]:
    result = dg.materialize(
        [fake_spec_document, spec_chunks, spec_embeddings, search_index],
        resources={
            "io_manager": PydanticArtefactIOManager(root=str(tmp_path)),
            "search": SearchBackend(artefact_root=str(tmp_path)),
        },
        partition_key=key,
        instance=instance,
    )
    assert result.success
    return {
        m.asset_key.to_user_string(): {k: v.value for k, v in m.metadata.items()}
        for m in result.get_asset_materialization_events()
        for m in [m.event_specific_data.materialization]
    }


def test_edit_reembeds_one_chunk_and_updates_one_partition(tmp_path: Path) -> None:
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(spec_partitions.name, ["billing/spec.md", "auth/spec.md"])
    DOCS.update({k: make_doc(k) for k in ("billing/spec.md", "auth/spec.md")})
    first = run(tmp_path, instance, "billing/spec.md")
    run(tmp_path, instance, "auth/spec.md")
    assert first["spec_chunks"]["chunks"] == 4
    assert (first["spec_embeddings"]["embedded"], first["spec_embeddings"]["cache_hits"]) == (4, 0)
    assert first["search_index"]["upserted"] == 4

    DOCS["billing/spec.md"] = make_doc("billing/spec.md", edits={"FR-001": "Invoices go by post."})
    second = run(tmp_path, instance, "billing/spec.md")
    assert (second["spec_embeddings"]["embedded"], second["spec_embeddings"]["cache_hits"]) == (
        1,
        3,
    )
    assert (second["search_index"]["upserted"], second["search_index"]["deleted"]) == (1, 0)

    index = EmbeddedBackend(tmp_path / "search_index")
    assert index.search("post", None, "bm25", SearchFilters(), 3)[0].chunk_id.endswith("FR-001")
    assert index.spec_ids() == ["auth/spec.md", "billing/spec.md"]


def test_deleted_partition_disappears_from_results(tmp_path: Path) -> None:
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(spec_partitions.name, ["billing/spec.md", "auth/spec.md"])
    DOCS.update({k: make_doc(k) for k in ("billing/spec.md", "auth/spec.md")})
    run(tmp_path, instance, "auth/spec.md")
    run(tmp_path, instance, "billing/spec.md")
    instance.delete_dynamic_partition(spec_partitions.name, "auth/spec.md")
    meta = run(tmp_path, instance, "billing/spec.md")
    assert meta["search_index"]["removed_specs"] == 1
    index = EmbeddedBackend(tmp_path / "search_index")
    assert index.spec_ids() == ["billing/spec.md"]
    assert not index.search("password", None, "bm25", SearchFilters(), 5)


def test_asset_definitions_follow_the_conventions() -> None:
    for asset in (spec_chunks, spec_embeddings, search_index):
        spec = next(iter(asset.specs))
        assert spec.group_name == "retrieval"
        assert spec.partitions_def == spec_partitions
        assert spec.code_version == "1"
        assert spec.automation_condition is not None
        assert spec.description and "\n" not in spec.description
