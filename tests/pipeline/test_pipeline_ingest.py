"""Spec assets and the polling sensor, wired through Dagster on an ephemeral instance."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.defs.assets.specs import raw_spec, spec_document
from agentops_pipelines.defs.sensors.spec_source import spec_source_sensor
from agentops_pipelines.resources import build_resources
from agentops_pipelines.settings import load_settings
from agentops_pipelines.specs.models import RawSpec, SpecDocument
from tests.pipeline.spec_fixtures import OPENSPEC, PLAIN


@pytest.fixture
def spec_root(tmp_path: Path) -> Path:
    root = tmp_path / "specs"
    (root / "exports").mkdir(parents=True)
    (root / "exports" / "spec.md").write_text(OPENSPEC)
    (root / "notify.md").write_text(PLAIN)
    (root / "README.md").write_text("# not a spec\n")
    return root


@pytest.fixture
def resources(agentops_home: Path, spec_root: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setenv("AGENTOPS_SPECS_PATH", str(spec_root))
    return build_resources(load_settings())


def tick(instance: dg.DagsterInstance, resources: dict, cursor: str | None) -> dg.SensorResult:
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"spec_source": resources["spec_source"], "app_store": resources["app_store"]},
    )
    result = spec_source_sensor(context)
    for request in result.dynamic_partitions_requests or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions("spec", list(request.partition_keys))
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition("spec", key)
    return result


def materialize(
    instance: dg.DagsterInstance, resources: dict, key: str
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [raw_spec, spec_document],
        partition_key=key,
        instance=instance,
        resources=resources,
        raise_on_error=False,
    )


def test_sensor_runs_new_specs_then_nothing_then_only_the_edited_one(resources, spec_root):
    instance = dg.DagsterInstance.ephemeral()
    first = tick(instance, resources, None)
    assert sorted(r.partition_key for r in first.run_requests) == ["exports/spec.md", "notify.md"]
    assert set(instance.get_dynamic_partitions("spec")) == {"exports/spec.md", "notify.md"}

    again = tick(instance, resources, first.cursor)
    assert again.run_requests == []

    (spec_root / "notify.md").write_text(PLAIN + "- R3: The service shall log every send.\n")
    edited = tick(instance, resources, again.cursor)
    assert [r.partition_key for r in edited.run_requests] == ["notify.md"]

    (spec_root / "exports" / "spec.md").unlink()
    removed = tick(instance, resources, edited.cursor)
    assert removed.run_requests == []
    assert set(instance.get_dynamic_partitions("spec")) == {"notify.md"}


def test_empty_cursor_is_seeded_from_materialisations(resources):
    instance = dg.DagsterInstance.ephemeral()
    first = tick(instance, resources, None)
    for request in first.run_requests:
        assert materialize(instance, resources, request.partition_key).success
    # A new sensor (e.g. after the CLI ingested everything) must not ingest again.
    assert tick(instance, resources, None).run_requests == []


def test_materialisation_redacts_parses_checks_and_diffs(resources, spec_root):
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", ["notify.md"])
    result = materialize(instance, resources, "notify.md")
    assert result.success

    raw = result.output_for_node("raw_spec")
    assert isinstance(raw, RawSpec)
    assert "ops-team@example.com" not in raw.text
    assert raw.redactions.get("email") == 1
    mat = result.asset_materializations_for_node("raw_spec")[0]
    assert mat.metadata["content_hash"].value == raw.content_hash
    assert "ops-team@example.com" not in str(mat.metadata)

    store = ArtefactStore(load_settings().artefact_root)
    doc = store.read_model("spec_document", "notify.md", SpecDocument)
    assert doc is not None and [r.id for r in doc.requirements] == ["R1", "R2"]
    assert doc.diff is None
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["spec_parses"].passed
    assert not checks["acceptance_criteria_present"].passed
    assert checks["acceptance_criteria_present"].severity == dg.AssetCheckSeverity.WARN

    (spec_root / "notify.md").write_text(
        PLAIN.replace("3 times", "5 times") + "- R3: The service shall log every send.\n"
    )
    second = materialize(instance, resources, "notify.md")
    assert second.success
    doc2 = store.read_model("spec_document", "notify.md", SpecDocument)
    assert doc2 is not None and doc2.diff is not None
    assert (doc2.diff.added, doc2.diff.changed, doc2.diff.removed) == (["R3"], ["R2"], [])


BAD_INPUTS = {
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    "latin1.md": ("# Caf\u00e9\n- The system shall work.\n".encode("latin-1"), "utf-8"),
    "empty.md": (b"   \n\n", "empty"),
    "huge.md": (b"# Big\n" + b"- The system shall scale.\n" * 800_000, "MiB"),
    "fence.md": (b"# Fence\n- The system shall parse.\n```python\nprint('x')\n", "fence"),
    "dupes.md": (
        b"# Dupes\n- R1: The system shall a.\n- R1: The system shall b.\n",
        "R1",
    ),
}


def test_bad_inputs_fail_their_own_partition_with_a_clear_message(resources, spec_root):
    for name, (data, _) in BAD_INPUTS.items():
        (spec_root / name).write_bytes(data)
    instance = dg.DagsterInstance.ephemeral()
    keys = ["notify.md", *BAD_INPUTS]
    instance.add_dynamic_partitions("spec", keys)
    outcomes = {key: materialize(instance, resources, key) for key in keys}
    assert outcomes["notify.md"].success
    for name, (_, word) in BAD_INPUTS.items():
        result = outcomes[name]
        assert not result.success, name
        failure = next(e for e in result.all_events if e.is_step_failure)
        message = failure.step_failure_data.user_failure_data.description
        assert name in message and word.lower() in message.lower(), message
