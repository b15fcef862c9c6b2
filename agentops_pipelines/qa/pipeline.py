"""QA end to end without Dagster: spec + repo (+ skeletons, + CI JUnit) -> QAScores.

The CLI and the discrepancy benchmark call this; the Dagster assets call the same two steps
(`collect_test_results`, then `score_spec`) with the artefact store in between.
"""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.qa.collect import collect_test_results
from agentops_pipelines.qa.config import QAConfig, load_qa_config
from agentops_pipelines.qa.results import TestResults
from agentops_pipelines.qa.rules import Rule, evaluate_rules, load_rules
from agentops_pipelines.qa.sandbox import SandboxLimits
from agentops_pipelines.qa.score_builder import AmbiguityHook, build_scores
from agentops_pipelines.qa.score_models import QAScores
from agentops_pipelines.specs.ingest import build_document, load_raw_spec
from agentops_pipelines.specs.models import SpecDocument, SpecInputError
from agentops_pipelines.specs.source import SpecFolder


def load_spec_file(path: Path, previous: SpecDocument | None = None) -> SpecDocument:
    """Any of the four formats; the spec id is the file name (the CLI has no spec source)."""
    if not path.is_file():
        raise SpecInputError(str(path), "the spec file does not exist", "pass a markdown file")
    raw = load_raw_spec(SpecFolder(path.parent), path.name)
    return build_document(raw, previous)


def score_spec(
    doc: SpecDocument,
    results: TestResults,
    *,
    previous: QAScores | None = None,
    config: QAConfig | None = None,
    rules: list[Rule] | None = None,
    ambiguity: AmbiguityHook | None = None,
) -> QAScores:
    scores = build_scores(doc, results, config or load_qa_config(), previous, ambiguity)
    scores.rules = evaluate_rules(scores, load_rules() if rules is None else rules)
    return scores


def evaluate(
    doc: SpecDocument,
    evidence_dir: Path,
    *,
    repo: Path | None = None,
    generated: Path | None = None,
    junit_files: list[Path] | None = None,
    previous: QAScores | None = None,
    limits: SandboxLimits | None = None,
    run_tests: bool = True,
    rules: list[Rule] | None = None,
    environments: bool = False,
) -> tuple[TestResults, QAScores]:
    results = collect_test_results(
        doc.spec_id,
        evidence_dir,
        repo=repo,
        generated=generated,
        junit_files=junit_files,
        limits=limits,
        run_tests=run_tests,
        environments=environments,
    )
    return results, score_spec(doc, results, previous=previous, rules=rules)
