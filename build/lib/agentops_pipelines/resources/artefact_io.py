"""IO manager that stores Pydantic asset values as JSON artefacts, one file per partition.

Values land under the artefact root where Streamlit, the API and the CLI read them with the same
`ArtefactStore`, so there is exactly one copy of each artefact and it is human-readable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import BaseModel, TypeAdapter

from agentops_pipelines.artefacts import ArtefactStore


class PydanticArtefactIOManager(dg.ConfigurableIOManager):
    root: str

    def _store(self) -> ArtefactStore:
        return ArtefactStore(Path(self.root))

    @staticmethod
    def _key(context: dg.OutputContext | dg.InputContext) -> tuple[str, str]:
        kind = "/".join(context.asset_key.path)
        key = context.asset_partition_key if context.has_asset_partitions else "__all__"
        return kind, key

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        kind, key = self._key(context)
        if isinstance(obj, BaseModel):
            text = obj.model_dump_json(indent=2)
        else:
            text = json.dumps(TypeAdapter(type(obj)).dump_python(obj, mode="json"), indent=2)
        path = self._store().write_text(kind, key, text)
        context.add_output_metadata({"artefact": dg.MetadataValue.path(str(path))})

    def load_input(self, context: dg.InputContext) -> Any:
        kind, key = self._key(context)
        text = self._store().read_text(kind, key)
        if text is None:
            raise FileNotFoundError(
                f"artefact {kind}/{key} is missing under {self.root}: materialise "
                f"{kind} for partition {key!r} first"
            )
        return TypeAdapter(context.dagster_type.typing_type).validate_json(text)
