"""Get a SpecDocument for planning: from the artefact store, or by parsing pasted text."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.planning.models import PlanInputError
from agentops_pipelines.specs.models import SpecDocument
from agentops_pipelines.specs.parsing import parse_spec

SPEC_DOCUMENT_KIND = "spec_document"
PLAN_KIND = "technical_plan"
TASK_GRAPH_KIND = "task_graph"


def stored_spec_ids(artefact_root: Path) -> list[str]:
    return ArtefactStore(artefact_root).keys(SPEC_DOCUMENT_KIND)


def load_spec_document(artefact_root: Path, spec_id: str) -> SpecDocument:
    doc = ArtefactStore(artefact_root).read_model(SPEC_DOCUMENT_KIND, spec_id, SpecDocument)
    if doc is None:
        raise PlanInputError(
            "spec_id",
            f"no parsed spec {spec_id!r} in the artefact store",
            "materialise spec_document for that partition first, or send spec_text",
        )
    return doc


def parse_spec_text(spec_id: str, text: str) -> SpecDocument:
    return parse_spec(spec_id, text)
