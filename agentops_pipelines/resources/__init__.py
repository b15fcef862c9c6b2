"""Resources are dependencies, not definitions: built once here and bound in definitions.py."""

from __future__ import annotations

from typing import Any

from agentops_pipelines.resources.artefact_io import PydanticArtefactIOManager
from agentops_pipelines.resources.spec_source import ArtefactRoot, SpecSource
from agentops_pipelines.settings import Settings, load_settings


def build_resources(settings: Settings | None = None) -> dict[str, Any]:
    s = settings or load_settings()
    root = str(s.artefact_root)
    return {
        "io_manager": PydanticArtefactIOManager(root=root),
        "artefacts": ArtefactRoot(path=root),
        "spec_source": SpecSource(path=str(s.specs_path)),
    }
