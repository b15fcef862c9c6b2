"""BackfillPolicy.single_run() on the spec assets: N partitions in one run over a range, each
partition's artefact and metadata its own, a bad spec named in the run's failure."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.defs.assets.specs import raw_spec, spec_document
from agentops_pipelines.resources import build_resources
from agentops_pipelines.settings import load_settings
from agentops_pipelines.specs.models import SpecDocument
from tests.pipeline.spec_fixtures import OPENSPEC, PLAIN

KEYS = [f"team-{i}/spec.md" for i in range(6)]


@pytest.fixture
def resources(agentops_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    root = tmp_path / "specs"
    for i, key in enumerate(KEYS):
        (root / key).parent.mkdir(parents=True)
        (root / key).write_text((OPENSPEC if i % 2 else PLAIN) + f"\n<!-- copy {i} -->\n")
    monkeypatch.setenv("AGENTOPS_SPECS_PATH", str(root))
    return build_resources(load_settings())


def _range_run(instance: dg.DagsterInstance, resources: dict, keys: list[str]):
    return dg.materialize(
        [raw_spec, spec_document],
        instance=instance,
        resources=resources,
        raise_on_error=False,
        tags={
            "dagster/asset_partition_range_start": keys[0],
            "dagster/asset_partition_range_end": keys[-1],
        },
    )


def test_both_spec_assets_backfill_in_a_single_run() -> None:
    for asset in (raw_spec, spec_document):
        assert asset.backfill_policy == dg.BackfillPolicy.single_run()


def test_a_range_run_materialises_every_partition_with_its_own_metadata(resources) -> None:
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("spec", KEYS)
        result = _range_run(instance, resources, KEYS)
        assert result.success
        assert len(instance.get_runs()) == 1
        store = ArtefactStore(Path(resources["artefacts"].path))
        hashes = set()
        for key in KEYS:
            doc = store.read_model("spec_document", key, SpecDocument)
            assert doc is not None and doc.requirements, key
            record = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=dg.AssetKey("raw_spec"), asset_partitions=[key]),
                limit=1,
            ).records[0]
            hashes.add(record.asset_materialization.metadata["content_hash"].value)
        assert len(hashes) == len(KEYS)  # each partition's own hash, not the batch's
        checks = {
            e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data.passed
            for e in result.all_events
            if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
        }
        assert set(checks) == {
            "spec_parses",
            "acceptance_criteria_present",
            "clarifications_resolved",
        }


def test_a_bad_spec_fails_the_batch_naming_it(resources) -> None:
    root = Path(resources["spec_source"].path)
    (root / KEYS[2]).write_bytes(b"\x00\xff not text")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("spec", KEYS)
        result = _range_run(instance, resources, KEYS)
        assert not result.success
        failure = next(e for e in result.all_events if e.is_step_failure)
        message = failure.step_failure_data.error.message
        assert KEYS[2] in message and "1 of 6 specs" in message
        # One partition alone still fails on its own and the others still land.
        good = dg.materialize(
            [raw_spec, spec_document],
            partition_key=KEYS[0],
            instance=instance,
            resources=resources,
        )
        assert good.success
