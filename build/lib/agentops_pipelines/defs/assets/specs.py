"""Spec ingestion: the committed markdown and its parsed requirements, one partition per spec."""

import warnings
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.defs.partitions import spec_partitions
from agentops_pipelines.resources.spec_source import ArtefactRoot, SpecSource
from agentops_pipelines.specs.checks import run_all_checks
from agentops_pipelines.specs.ingest import build_document, load_raw_spec, previous_document
from agentops_pipelines.specs.models import RawSpec, SpecDocument, SpecInputError

# Output(data_version=...) is marked beta; it is the documented way to version by content hash.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*data_version.*")

SPEC_CHECKS = ("spec_parses", "acceptance_criteria_present", "clarifications_resolved")


def _failure(err: SpecInputError) -> dg.Failure:
    """A bad spec fails only its own partition, with the file, the problem and the fix."""
    return dg.Failure(
        description=str(err),
        metadata={"spec": err.spec_id, "problem": err.problem, "what_to_do": err.fix},
        allow_retries=False,
    )


@dg.asset(
    partitions_def=spec_partitions,
    group_name="specs",
    kinds={"markdown"},
    code_version="1",
)
def raw_spec(context: dg.AssetExecutionContext, spec_source: SpecSource) -> dg.Output[RawSpec]:
    """The spec's markdown as committed, PII and secrets redacted; data version = content hash."""
    try:
        raw = load_raw_spec(spec_source.folder(), context.partition_key)
    except SpecInputError as err:
        raise _failure(err) from err
    return dg.Output(
        raw,
        data_version=dg.DataVersion(raw.content_hash),
        metadata={
            "content_hash": raw.content_hash,
            "size_bytes": raw.size_bytes,
            "redacted": sum(raw.redactions.values()),
            **{f"redacted_{kind}": n for kind, n in raw.redactions.items()},
            "commit": raw.source.commit or "",
            "author": raw.source.author or "",
        },
    )


@dg.asset(
    partitions_def=spec_partitions,
    group_name="specs",
    kinds={"python"},
    code_version="1",
    automation_condition=dg.AutomationCondition.eager(),
    check_specs=[dg.AssetCheckSpec(name, asset="spec_document") for name in SPEC_CHECKS],
)
def spec_document(
    context: dg.AssetExecutionContext, raw_spec: RawSpec, artefacts: ArtefactRoot
) -> Iterator[dg.Output[SpecDocument] | dg.AssetCheckResult]:
    """Requirements with stable IDs, acceptance criteria and lint findings, in one model."""
    previous = previous_document(ArtefactStore(Path(artefacts.path)), context.partition_key)
    try:
        doc = build_document(raw_spec, previous)
    except SpecInputError as err:
        raise _failure(err) from err
    diff = doc.diff
    yield dg.Output(
        doc,
        metadata={
            "format": doc.format.value,
            "requirements": len(doc.requirements),
            "acceptance_criteria": doc.criteria_count,
            "findings": len(doc.findings),
            "diff_added": dg.MetadataValue.json(diff.added if diff else []),
            "diff_changed": dg.MetadataValue.json(diff.changed if diff else []),
            "diff_removed": dg.MetadataValue.json(diff.removed if diff else []),
        },
    )
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
