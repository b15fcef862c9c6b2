"""IO manager that stores Pydantic asset values as JSON artefacts, one file per partition.

Values land under the artefact root where Streamlit, the API and the CLI read them with the same
`ArtefactStore`, so there is exactly one copy of each artefact and it is human-readable.

A run over a partition range (a single-run backfill, `BackfillPolicy.single_run()`) hands over
and receives `{partition key: value}`, still one file per partition.
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
    def _kind(context: dg.OutputContext | dg.InputContext) -> str:
        return "/".join(context.asset_key.path)

    @staticmethod
    def _partitions(context: dg.OutputContext | dg.InputContext) -> list[str]:
        return list(context.asset_partition_keys) if context.has_asset_partitions else ["__all__"]

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        kind, keys = self._kind(context), self._partitions(context)
        if len(keys) == 1:
            path = self._write(kind, keys[0], obj)
            context.add_output_metadata({"artefact": dg.MetadataValue.path(str(path))})
            return
        missing = [key for key in keys if key not in obj] if isinstance(obj, dict) else keys
        if missing:
            raise TypeError(
                f"{kind} ran for {len(keys)} partitions and must return a dict with a value for "
                f"each; missing: {missing[:5]}"
            )
        for key in keys:
            self._write(kind, key, obj[key])
        context.add_output_metadata({"artefacts": len(keys)})

    def _write(self, kind: str, key: str, obj: Any) -> Path:
        if isinstance(obj, BaseModel):
            text = obj.model_dump_json(indent=2)
        else:
            text = json.dumps(TypeAdapter(type(obj)).dump_python(obj, mode="json"), indent=2)
        return self._store().write_text(kind, key, text)

    def load_input(self, context: dg.InputContext) -> Any:
        kind, keys = self._kind(context), self._partitions(context)
        adapter = TypeAdapter(context.dagster_type.typing_type)
        values = {key: self._read(kind, key, adapter) for key in keys}
        return values[keys[0]] if len(keys) == 1 else values

    def _read(self, kind: str, key: str, adapter: TypeAdapter) -> Any:
        text = self._store().read_text(kind, key)
        if text is None:
            raise FileNotFoundError(
                f"artefact {kind}/{key} is missing under {self.root}: materialise "
                f"{kind} for partition {key!r} first"
            )
        return adapter.validate_json(text)
