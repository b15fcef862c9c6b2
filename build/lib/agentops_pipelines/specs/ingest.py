"""From a file in a spec source to a `RawSpec` and a `SpecDocument`: the steps every entry point
(Dagster assets, the CLI, the API) shares."""

from __future__ import annotations

from pydantic import ValidationError

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.security.redact import redact
from agentops_pipelines.specs.diff import diff_requirements
from agentops_pipelines.specs.models import RawSpec, SpecDocument
from agentops_pipelines.specs.parsing import decode_spec, parse_spec
from agentops_pipelines.specs.source import SpecFolder, sha256_bytes


def load_raw_spec(folder: SpecFolder, key: str) -> RawSpec:
    data = folder.read_bytes(key)
    text = decode_spec(key, data)
    redaction = redact(text)
    return RawSpec(
        spec_id=key,
        text=redaction.text,
        content_hash=sha256_bytes(data),
        size_bytes=len(data),
        redactions={k: v for k, v in redaction.counts.items() if v},
        source=folder.source_info(key),
    )


def build_document(raw: RawSpec, previous: SpecDocument | None) -> SpecDocument:
    doc = parse_spec(raw.spec_id, raw.text, source=raw.source)
    if previous is not None:
        doc.diff = diff_requirements(previous, doc)
    return doc


def previous_document(store: ArtefactStore, key: str) -> SpecDocument | None:
    """An artefact written by an older schema is treated as absent rather than failing the run."""
    try:
        return store.read_model("spec_document", key, SpecDocument)
    except ValidationError:
        return None
