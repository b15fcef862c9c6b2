"""Published JSON Schemas of the planning artefacts.

`python -m agentops_pipelines.planning.schema` rewrites the checked-in schema files; a test
fails when they drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agentops_pipelines.planning.graph_models import TaskGraph
from agentops_pipelines.planning.models import PlanDraft

SCHEMA_DIR = Path(__file__).with_name("schemas")


def task_graph_json_schema() -> dict[str, Any]:
    return TaskGraph.model_json_schema()


def plan_json_schema() -> dict[str, Any]:
    return PlanDraft.model_json_schema()


def schema_files() -> dict[Path, str]:
    """Target path -> exact file text, so the drift test compares bytes."""
    return {
        SCHEMA_DIR / "task_graph.schema.json": _dump(task_graph_json_schema()),
        SCHEMA_DIR / "technical_plan.schema.json": _dump(plan_json_schema()),
    }


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas() -> list[Path]:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for path, text in schema_files().items():
        path.write_text(text, encoding="utf-8")
    return sorted(schema_files())


if __name__ == "__main__":
    for written in write_schemas():
        print(written)
