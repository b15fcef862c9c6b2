"""Spec ingestion: the committed markdown and its parsed requirements, one partition per spec.

Both assets have `BackfillPolicy.single_run()`: a backfill of N spec partitions (`agentops
ingest` against a deployment, or the UI) is one run over the partition range instead of N runs,
each value handed over as {partition key: value}. A run for one partition (sensors, automation)
works as before, with the content hash as data version.
"""

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.defs.partitions import spec_partitions
from agentops_pipelines.resources.spec_source import ArtefactRoot, SpecSource
from agentops_pipelines.specs.checks import run_all_checks
from agentops_pipelines.specs.ingest import build_document, load_raw_spec, previous_document
from agentops_pipelines.specs.models import RawSpec, SpecDocument, SpecInputError

# Output(data_version=...) is marked beta; it is the documented way to version by content hash.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*data_version.*")
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*backfill_policy.*")

SPEC_CHECKS = ("spec_parses", "acceptance_criteria_present", "clarifications_resolved")


def _failure(err: SpecInputError) -> dg.Failure:
    """A bad spec fails only its own partition, with the file, the problem and the fix."""
    return dg.Failure(
        description=str(err),
        metadata={"spec": err.spec_id, "problem": err.problem, "what_to_do": err.fix},
        allow_retries=False,
    )


def _batch_failure(errors: list[SpecInputError], total: int) -> dg.Failure:
    """A range run cannot fail one partition alone: it fails naming every bad spec, so the
    caller re-runs those one partition each (`agentops ingest` does) and the rest land."""
    listed = "; ".join(str(err) for err in errors[:10])
    return dg.Failure(
        description=(
            f"{len(errors)} of {total} specs in this batch cannot be ingested: {listed}. Fix them, "
            "or run their partitions one at a time so the sound specs land."
        ),
        metadata={"bad_specs": dg.MetadataValue.json([err.spec_id for err in errors])},
        allow_retries=False,
    )


def _per_spec(model: type) -> dg.DagsterType:
    """The model for a one-partition run, {partition key: model} for a partition range."""

    def check(_context: Any, value: Any) -> bool:
        if isinstance(value, dict):
            return all(isinstance(v, model) for v in value.values())
        return isinstance(value, model)

    return dg.DagsterType(
        type_check_fn=check,
        name=f"{model.__name__}PerSpec",
        typing_type=model,
        description=f"{model.__name__}, or one per spec partition in a single-run backfill",
    )


RawSpecPerSpec = _per_spec(RawSpec)
SpecDocumentPerSpec = _per_spec(SpecDocument)


def _raw_metadata(raw: RawSpec) -> dict[str, Any]:
    return {
        "content_hash": raw.content_hash,
        "size_bytes": raw.size_bytes,
        "redacted": sum(raw.redactions.values()),
        **{f"redacted_{kind}": n for kind, n in raw.redactions.items()},
        "commit": raw.source.commit or "",
        "author": raw.source.author or "",
    }


@dg.asset(
    partitions_def=spec_partitions,
    group_name="specs",
    kinds={"markdown"},
    code_version="1",
    backfill_policy=dg.BackfillPolicy.single_run(),
    dagster_type=RawSpecPerSpec,
)
def raw_spec(context: dg.AssetExecutionContext, spec_source: SpecSource) -> dg.Output:
    """The spec's markdown as committed, PII and secrets redacted; data version = content hash."""
    keys = context.partition_keys
    if len(keys) > 1:
        return _raw_batch(context, spec_source, keys)
    try:
        raw = load_raw_spec(spec_source.folder(), keys[0])
    except SpecInputError as err:
        raise _failure(err) from err
    return dg.Output(
        raw, data_version=dg.DataVersion(raw.content_hash), metadata=_raw_metadata(raw)
    )


def _raw_batch(
    context: dg.AssetExecutionContext, spec_source: SpecSource, keys: list[str]
) -> dg.Output:
    """One run, many specs: each partition's metadata (content hash included) on its own
    materialisation. Dagster keeps one data version per output, so a batch sets none."""
    folder = spec_source.folder()
    values: dict[str, RawSpec] = {}
    errors: list[SpecInputError] = []
    for key in keys:
        try:
            values[key] = load_raw_spec(folder, key)
        except SpecInputError as err:
            errors.append(err)
            continue
        context.add_asset_metadata(_raw_metadata(values[key]), partition_key=key)
    if errors:
        raise _batch_failure(errors, len(keys))
    return dg.Output(values, metadata={"specs": len(values)})


def _document_metadata(doc: SpecDocument) -> dict[str, Any]:
    diff = doc.diff
    return {
        "format": doc.format.value,
        "requirements": len(doc.requirements),
        "acceptance_criteria": doc.criteria_count,
        "findings": len(doc.findings),
        "diff_added": dg.MetadataValue.json(diff.added if diff else []),
        "diff_changed": dg.MetadataValue.json(diff.changed if diff else []),
        "diff_removed": dg.MetadataValue.json(diff.removed if diff else []),
    }


@dg.asset(
    partitions_def=spec_partitions,
    group_name="specs",
    kinds={"python"},
    code_version="1",
    automation_condition=dg.AutomationCondition.eager(),
    check_specs=[dg.AssetCheckSpec(name, asset="spec_document") for name in SPEC_CHECKS],
    backfill_policy=dg.BackfillPolicy.single_run(),
    dagster_type=SpecDocumentPerSpec,
    ins={"raw_spec": dg.AssetIn(dagster_type=RawSpecPerSpec)},
)
def spec_document(
    context: dg.AssetExecutionContext, raw_spec: Any, artefacts: ArtefactRoot
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """Requirements with stable IDs, acceptance criteria and lint findings, in one model."""
    store = ArtefactStore(Path(artefacts.path))
    keys = context.partition_keys
    if len(keys) > 1:
        yield from _document_batch(context, store, raw_spec)
        return
    try:
        doc = build_document(raw_spec, previous_document(store, keys[0]))
    except SpecInputError as err:
        raise _failure(err) from err
    yield dg.Output(doc, metadata=_document_metadata(doc))
    for outcome in run_all_checks(doc):
        yield dg.AssetCheckResult(
            check_name=outcome.name,
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity(outcome.severity),
            description=outcome.description,
            metadata={
                k: dg.MetadataValue.json(v) if isinstance(v, list) else v
                for k, v in outcome.metadata.items()
            },
        )


def _document_batch(
    context: dg.AssetExecutionContext, store: ArtefactStore, raws: dict[str, RawSpec]
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """Each check once for the batch: passed when it passed for every spec, the failing specs
    listed (the checks are not partitioned, so one result per run)."""
    docs: dict[str, SpecDocument] = {}
    errors: list[SpecInputError] = []
    for key, raw in raws.items():
        try:
            docs[key] = build_document(raw, previous_document(store, key))
        except SpecInputError as err:
            errors.append(err)
            continue
        context.add_asset_metadata(_document_metadata(docs[key]), partition_key=key)
    if errors:
        raise _batch_failure(errors, len(raws))
    yield dg.Output(docs, metadata={"specs": len(docs)})
    outcomes: dict[str, list] = {name: [] for name in SPEC_CHECKS}
    for key, doc in docs.items():
        for outcome in run_all_checks(doc):
            outcomes.setdefault(outcome.name, []).append((key, outcome))
    for name, results in outcomes.items():
        failing = [key for key, outcome in results if not outcome.passed]
        yield dg.AssetCheckResult(
            check_name=name,
            passed=not failing,
            severity=dg.AssetCheckSeverity(results[0][1].severity if results else "WARN"),
            description=f"{len(failing)} of {len(results)} specs fail {name}",
            metadata={"failing_specs": dg.MetadataValue.json(failing[:200])},
        )
