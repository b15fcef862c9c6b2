"""The asset graph (keys, deps, groups, partitions, checks, automation conditions) equals the
committed snapshot, so a change of the graph shows up in review as a diff of
tests/snapshots/asset_graph.json. Refresh after a deliberate change: `make asset-graph-snapshot`."""

from __future__ import annotations

import difflib
import json

from tests.support.asset_graph import SNAPSHOT, current_snapshot, render


def test_asset_graph_matches_the_committed_snapshot(agentops_home) -> None:
    current = render(current_snapshot())
    committed = SNAPSHOT.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            current.splitlines(keepends=True),
            "tests/snapshots/asset_graph.json",
            "current asset graph",
        )
    )
    assert not diff, (
        "the asset graph changed; if that is intended run `make asset-graph-snapshot` and commit "
        f"the snapshot:\n{diff}"
    )


def test_snapshot_names_the_spec_chain_with_its_partitions_and_checks() -> None:
    assets = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["assets"]
    assert assets["spec_document"]["deps"] == ["raw_spec"]
    assert assets["spec_document"]["partitions"] == {"dynamic": "spec"}
    assert any(node["checks"] for node in assets.values())
    assert any(node["automation_condition"] for node in assets.values())
