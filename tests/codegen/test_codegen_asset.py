"""The generated_code asset: direct call for metadata, dg.materialize for wiring."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.codegen import GeneratedCode
from agentops_pipelines.defs.assets.codegen import CodegenConfig, generated_code
from agentops_pipelines.defs.partitions import spec_partitions
from agentops_pipelines.planning import TaskGraph
from agentops_pipelines.resources.artefact_io import PydanticArtefactIOManager
from agentops_pipelines.resources.llm import LLMRouterResource
from agentops_pipelines.resources.spec_source import ArtefactRoot
from agentops_pipelines.specs.models import SpecDocument
from tests.support.codegen_support import small_graph, small_spec

KEY = "billing/spec.md"


def test_asset_reports_counts_and_router_usage(tmp_path: Path) -> None:
    spec = small_spec()
    out = generated_code(
        context=dg.build_asset_context(),
        spec_document=spec,
        task_graph=small_graph(spec),
        config=CodegenConfig(),
        llm=LLMRouterResource(db_url=f"sqlite:///{tmp_path / 'app.db'}"),
        artefacts=ArtefactRoot(path=str(tmp_path / "art")),
    )
    meta = {k: v.value if hasattr(v, "value") else v for k, v in out.metadata.items()}
    assert (meta["kept"], meta["rejected"]) == (2, 0)
    assert meta["skipped"] == meta["tasks"] - 2
    assert meta["files_written"] == 3
    assert meta["provider"] == "offline"
    assert meta["llm_usage"]["llm_providers"] == ["offline"]
    assert Path(meta["workspace"]).is_relative_to(tmp_path / "art")


def test_materialize_wires_spec_and_task_graph_into_generated_code(tmp_path: Path) -> None:
    @dg.asset(name="spec_document", partitions_def=spec_partitions)
    def spec_stub() -> SpecDocument:
        """Stands in for the parser so this test wires codegen only."""
        return small_spec()

    @dg.asset(name="task_graph", partitions_def=spec_partitions, deps=["spec_document"])
    def graph_stub() -> TaskGraph:
        """Stands in for the planning assets."""
        return small_graph(small_spec())

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(spec_partitions.name, [KEY])
    root = str(tmp_path / "art")
    result = dg.materialize(
        [spec_stub, graph_stub, generated_code],
        resources={
            "io_manager": PydanticArtefactIOManager(root=root),
            "llm": LLMRouterResource(db_url=f"sqlite:///{tmp_path / 'app.db'}"),
            "artefacts": ArtefactRoot(path=root),
        },
        partition_key=KEY,
        instance=instance,
    )
    assert result.success
    stored = ArtefactStore(Path(root)).read_model("generated_code", KEY, GeneratedCode)
    assert stored is not None and stored.spec_id == KEY
    assert "tests/agentops/test_fr_001.py" in stored.files_written
    assert (Path(stored.workspace) / "tests/agentops/test_fr_006.py").is_file()
    assert json.loads(stored.model_dump_json())["usage"]["providers"] == ["offline"]
