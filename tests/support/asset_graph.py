"""The asset graph of the code location as plain JSON: keys, deps, groups, partitions, checks and
automation conditions. `tests/pipeline/test_pipeline_asset_graph.py` compares it with the
committed `tests/snapshots/asset_graph.json`.

After a deliberate change of the graph, refresh the snapshot and commit it with the change:

    make asset-graph-snapshot      # = python -m tests.support.asset_graph --write
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import dagster as dg

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "asset_graph.json"


def _partitions(pd: dg.PartitionsDefinition | None) -> Any:
    if pd is None:
        return None
    if isinstance(pd, dg.DynamicPartitionsDefinition):
        return {"dynamic": pd.name}
    if isinstance(pd, dg.TimeWindowPartitionsDefinition):
        return {"cron": pd.cron_schedule, "start": pd.start.isoformat(), "timezone": pd.timezone}
    if isinstance(pd, dg.MultiPartitionsDefinition):
        return {"multi": {d.name: _partitions(d.partitions_def) for d in pd.partitions_defs}}
    if isinstance(pd, dg.StaticPartitionsDefinition):
        return {"static": pd.get_partition_keys()}
    return {"other": type(pd).__name__}


def _automation(condition: dg.AutomationCondition | None) -> str | None:
    """The condition's tree as text (labels and operators), stable across runs."""
    if condition is None:
        return None
    return _describe(condition)


def _describe(condition: dg.AutomationCondition) -> str:
    """`label` where one is set (eager, on_cron, ...), else name(children...)."""
    if condition.get_label():
        return str(condition.get_label())
    children = ", ".join(_describe(c) for c in condition.children)
    return f"{condition.name}({children})" if children else condition.name


def graph_snapshot(definitions: dg.Definitions) -> dict[str, Any]:
    graph = definitions.resolve_asset_graph()
    assets: dict[str, Any] = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "deps": sorted(p.to_user_string() for p in node.parent_keys),
            "group": node.group_name,
            "materializable": node.is_materializable,
            "partitions": _partitions(node.partitions_def),
            "checks": sorted(c.name for c in node.check_keys),
            "automation_condition": _automation(node.automation_condition),
        }
    return {"assets": assets}


def current_snapshot() -> dict[str, Any]:
    """The snapshot of `agentops_pipelines.definitions`, loaded in a throwaway AgentOps home
    unless one is set (the asset graph does not depend on the stores)."""
    if "AGENTOPS_HOME" not in os.environ:
        home = Path(tempfile.mkdtemp(prefix="agentops-graph-"))
        os.environ["AGENTOPS_HOME"] = str(home)
        os.environ.setdefault("DAGSTER_HOME", str(home / "dagster"))
        (home / "dagster").mkdir(parents=True, exist_ok=True)
    from agentops_pipelines.definitions import defs

    return graph_snapshot(defs())


def render(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {SNAPSHOT.name}")
    args = parser.parse_args(argv)
    text = render(current_snapshot())
    if args.write:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
        print(f"wrote {SNAPSHOT}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
