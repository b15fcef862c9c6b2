"""Every read the Streamlit pages make, as short-lived cached loaders.

Each loader takes the configuration it depends on (the artefact root as a string) as an argument,
so the cache key changes when the configuration does and a test pointing AGENTOPS_ARTEFACT_ROOT
at a tmp dir never sees another run's cache. The short ttl lets new Dagster materialisations show
up without restarting the app.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from pydantic import BaseModel, Field, ValidationError

from agentops_pipelines.artefacts import ArtefactStore, artefact_root_for
from agentops_pipelines.settings import get_settings
from agentops_pipelines.specs.models import SpecDocument
from agentops_pipelines.store.acting_workspace import active_workspace

SPEC_DOCUMENT_KIND = "spec_document"
CACHE_TTL_SECONDS = 15


class SpecDocuments(BaseModel):
    """The spec documents found under one artefact root, and the files that could not be read."""

    root: str
    documents: list[SpecDocument] = Field(default_factory=list)
    unreadable: list[str] = Field(default_factory=list)


def artefact_root() -> str:
    """The signed-in workspace's artefact root, as a string so it can be a cache key (one
    workspace's cached reads are never another's)."""
    s = get_settings()
    return str(artefact_root_for(s.artefact_root, s.workspace, active_workspace()))


def read_spec_documents(root: str) -> SpecDocuments:
    store = ArtefactStore(Path(root))
    result = SpecDocuments(root=root)
    for key in store.keys(SPEC_DOCUMENT_KIND):
        try:
            doc = store.read_model(SPEC_DOCUMENT_KIND, key, SpecDocument)
        except (ValidationError, ValueError, OSError) as exc:
            result.unreadable.append(_unreadable_message(store, key, exc))
            continue
        if doc is not None:
            result.documents.append(doc)
    return result


def _unreadable_message(store: ArtefactStore, key: str, exc: Exception) -> str:
    """A stale or damaged artefact must not take the whole page down; say which file and how to
    fix it instead (re-ingesting rewrites it with the current schema)."""
    path = store.path_for(SPEC_DOCUMENT_KIND, key)
    return (
        f"{path}: not a readable spec document ({type(exc).__name__}); "
        f"re-ingest spec {key!r} with `agentops ingest PATH` to rewrite it"
    )


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_spec_documents(root: str) -> SpecDocuments:
    return read_spec_documents(root)


def search_specs(query: str, top_k: int = 10) -> list[dict[str, object]]:
    """Hybrid search through the same service as `agentops search` (each query is logged)."""
    from agentops_pipelines.retrieval.spec_search import search

    hits = search(query, top_k=top_k, mode="hybrid", source="streamlit")
    return [
        {
            "score": round(hit.score, 4),
            "spec": hit.spec_id,
            "requirements": ", ".join(hit.requirement_ids),
            "section": " > ".join(hit.section_path),
            "matched_by": ", ".join(hit.matched_by),
            "text": hit.text[:300],
        }
        for hit in hits
    ]


DEMO_DAGSTER_URL = "http://127.0.0.1:3000"


def downstream_status(spec_id: str):
    """Whether the plan, QA scores and PR proposal are from this spec's current version, and
    when they are not, the spec's last failed run (from the Dagster instance, if there is one)."""
    from agentops_pipelines.runs.failures import with_last_failure
    from agentops_pipelines.specs.freshness import downstream_status as status

    return with_last_failure(status(ArtefactStore(Path(artefact_root())), spec_id))


def retry_spec(spec_id: str) -> str:
    """Queue the spec's pipeline again (AGENTOPS_DAGSTER_URL, else the demo's webserver)."""
    from agentops_pipelines.runs.failures import retry
    from agentops_pipelines.runs.submit import dagster_url

    return retry(spec_id, dagster_url() or DEMO_DAGSTER_URL)
