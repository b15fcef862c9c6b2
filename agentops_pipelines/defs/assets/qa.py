"""Test results and QA scores per spec: sandboxed runs, traceability, completion, risk."""

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from pydantic import ValidationError

from agentops_pipelines.artefacts import ArtefactStore, encode_key
from agentops_pipelines.assistant.ambiguity import find_smells
from agentops_pipelines.defs.code_links import repo_for
from agentops_pipelines.defs.partitions import spec_partitions
from agentops_pipelines.defs.retries import OUTSIDE_RETRY
from agentops_pipelines.links import ci_results_dir
from agentops_pipelines.qa.collect import ci_reports, collect_test_results
from agentops_pipelines.qa.expectations import rows_of, validate_test_results
from agentops_pipelines.qa.history import append_history
from agentops_pipelines.qa.pipeline import score_spec
from agentops_pipelines.qa.quarantine import quarantined_problems
from agentops_pipelines.qa.results import TestResults
from agentops_pipelines.qa.rules import load_rules
from agentops_pipelines.qa.sandbox import SandboxLimits, SandboxUnavailableError
from agentops_pipelines.qa.score_models import QAScores
from agentops_pipelines.repos.envsettings import RepoEnvSettingsError
from agentops_pipelines.resources.spec_source import ArtefactRoot
from agentops_pipelines.specs.models import Requirement, SpecDocument

warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*data_version.*")


def _ambiguity_findings(requirement: Requirement) -> int:
    """SpecGPT's rule-layer smell detector (no model): the heat map's ambiguity factor."""
    return len(find_smells(requirement.text))


RULES = load_rules()  # definition time: a broken rules file fails the code location, loudly
RULE_CHECKS = {f"qa_rule_{rule.id}": rule for rule in RULES}
EXPECTATIONS_CHECK = "test_results_expectations"


class TestResultsConfig(dg.Config):
    __test__ = False

    repo: str = ""  # empty: the repo linked in config/code_links.yaml (or the codegen workspace)
    run_tests: bool = True
    # The repository's own environments (uv / npm ci, cached by manifest hash), its runners
    # (pytest, vitest, jest, mocha) and reused verdicts; False: the old system-pytest run.
    environments: bool = True
    wall_seconds: float = 300
    cpu_seconds: int = 120


def _generated(root: Path, spec_id: str) -> tuple[Path | None, list[str]]:
    """The codegen workspace, read from its artefact so QA works before codegen ever ran."""
    text = ArtefactStore(root).read_text("generated_code", spec_id)
    if not text:
        return None, []
    data = json.loads(text)
    workspace = Path(data.get("workspace") or "")
    return (workspace if workspace.is_dir() else None), list(data.get("files_written") or [])


@dg.asset(
    partitions_def=spec_partitions,
    group_name="qa",
    kinds={"python", "pytest"},
    code_version="1",
    deps=["generated_code"],
    automation_condition=dg.AutomationCondition.eager(),
    retry_policy=OUTSIDE_RETRY,
    check_specs=[
        dg.AssetCheckSpec(
            EXPECTATIONS_CHECK,
            asset="test_results",
            description="Great Expectations: non-null test IDs, valid statuses, durations >= 0",
        )
    ],
)
def test_results(
    context: dg.AssetExecutionContext,
    spec_document: SpecDocument,
    config: TestResultsConfig,
    artefacts: ArtefactRoot,
) -> Iterator[dg.Output[TestResults] | dg.AssetCheckResult]:
    """Sandboxed run of the spec's tests (repo + generated skeletons) and CI JUnit drops.

    A linked repository runs in its own environments (`qa.repo_run`): every spec partition of
    that repository shares one run, since unchanged verdicts are reused across partitions."""
    spec_id = context.partition_key
    root = Path(artefacts.path)
    generated, generated_files = _generated(root, spec_id)
    evidence = root / "qa_evidence" / encode_key(spec_id) / context.run_id[:8]
    # In the repository's environments its `.agentops.yml` timeouts govern (Node needs its own).
    limits = (
        None
        if config.environments
        else SandboxLimits(cpu_seconds=config.cpu_seconds, wall_seconds=config.wall_seconds)
    )
    ci_dir = ci_results_dir(artefacts.state_home(), spec_id)
    junit = ci_reports(ci_dir)
    try:
        results = collect_test_results(
            spec_id,
            evidence,
            repo=repo_for(config.repo, spec_id),
            generated=generated,
            generated_files=generated_files,
            junit_files=junit,
            limits=limits,
            run_tests=config.run_tests,
            environments=config.environments,
        )
    except RepoEnvSettingsError as err:  # a broken .agentops.yml: the user must fix it
        raise dg.Failure(description=str(err), allow_retries=False) from err
    except SandboxUnavailableError as err:  # never run unsandboxed; say why nothing ran
        results = collect_test_results(spec_id, evidence, junit_files=junit, run_tests=False)
        results.problems.append(f"tests not run: {err}")
    results.problems += quarantined_problems(ci_dir)
    counts = results.counts()
    yield dg.Output(
        results,
        metadata={
            **{k: v for k, v in counts.items()},
            "tests": len(results.records),
            "repo": results.repo or "",
            "commit": results.commit or "",
            "ci_reports": len(junit),
            "evidence": dg.MetadataValue.path(str(evidence)),
            "problems": dg.MetadataValue.json(results.problems),
            "environment_problems": dg.MetadataValue.json(
                [
                    {"kind": p.kind, "message": p.message, "tests": len(p.tests)}
                    for p in results.env_problems
                ]
            ),
            "environments": dg.MetadataValue.json(results.environments),
        },
    )
    yield _expectations(results)


def _expectations(results: TestResults) -> dg.AssetCheckResult:
    """Checked inside the asset: a separate check on a partitioned asset would load every
    partition. An empty table is valid without paying for the GX import."""
    rows = rows_of(results)
    if not rows:
        return dg.AssetCheckResult(
            check_name=EXPECTATIONS_CHECK, passed=True, metadata={"rows": 0, "expectations": 0}
        )
    outcome = validate_test_results(rows)
    failed = [o for o in outcome.outcomes if not o.success]
    return dg.AssetCheckResult(
        check_name=EXPECTATIONS_CHECK,
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows": outcome.rows,
            "expectations": len(outcome.outcomes),
            "failed": dg.MetadataValue.json([o.model_dump() for o in failed]),
        },
    )


def _previous(store: ArtefactStore, spec_id: str) -> QAScores | None:
    try:
        return store.read_model("qa_scores", spec_id, QAScores)
    except ValidationError:
        return None


@dg.asset(
    partitions_def=spec_partitions,
    group_name="qa",
    kinds={"python"},
    code_version="1",
    automation_condition=dg.AutomationCondition.eager(),
    check_specs=[
        dg.AssetCheckSpec(name, asset="qa_scores", description=rule.description)
        for name, rule in RULE_CHECKS.items()
    ],
)
def qa_scores(
    context: dg.AssetExecutionContext,
    spec_document: SpecDocument,
    test_results: TestResults,
    artefacts: ArtefactRoot,
) -> Iterator[dg.Output[QAScores] | dg.AssetCheckResult]:
    """Requirement-to-test traceability, Spec Completion Score and Risk Heat Map."""
    store = ArtefactStore(Path(artefacts.path))
    previous = _previous(store, context.partition_key)
    scores = score_spec(
        spec_document, test_results, previous=previous, rules=RULES, ambiguity=_ambiguity_findings
    )
    append_history(store, context.partition_key, scores)
    statuses: list[str] = [r.status for r in scores.requirements]
    yield dg.Output(
        scores,
        metadata={
            "completion_score": scores.completion_score,
            **{s: statuses.count(s) for s in ("passing", "failing", "pending", "untested")},
            "orphan_links": len(scores.orphans),
            "rule_violations": sum(not r.passed for r in scores.rules),
        },
    )
    for result in scores.rules:
        yield dg.AssetCheckResult(
            check_name=f"qa_rule_{result.rule_id}",
            passed=result.passed,
            severity=dg.AssetCheckSeverity.ERROR
            if result.severity == "error"
            else dg.AssetCheckSeverity.WARN,
            description=result.description,
            metadata={"violations": dg.MetadataValue.json(result.violations)},
        )
