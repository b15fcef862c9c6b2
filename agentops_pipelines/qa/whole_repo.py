"""Whole-repository QA: every spec of a repository scored against one run of its tests.

The tests run once (in the repository's own environments, sandboxed); each spec is then scored
against the same results, so N specs cost one test run, and a second run on an unchanged repo
reuses the environment and the verdicts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.qa.collect import collect_test_results
from agentops_pipelines.qa.envs.models import EnvProblem
from agentops_pipelines.qa.pipeline import score_spec
from agentops_pipelines.qa.run_memo import one_run
from agentops_pipelines.qa.score_models import QAScores
from agentops_pipelines.repos.envsettings import RepoEnvSettings
from agentops_pipelines.specs.ingest import build_document, load_raw_spec
from agentops_pipelines.specs.source import SpecFolder

# A pass/fail verdict: errors are failures of the code (fixtures, setup), xfail a known failure;
# a skip is no verdict, and environment problems are not records at all.
VERDICTS = ("passed", "failed", "error", "xfail")


def has_verdict(status: str, message: str | None) -> bool:
    """A pass/fail verdict we believe (a report that failed the cross-check gives none)."""
    return status in VERDICTS and not (message or "").startswith("verdict not believed")


class SpecSummary(BaseModel):
    spec: str
    completion_score: float
    requirements: int
    statuses: dict[str, int]
    linked_tests: int
    problems: list[str] = Field(default_factory=list)


class TestEvidence(BaseModel):
    """One test's evidence: `command` indexes RepoReport.commands, `env` the environment hash."""

    __test__ = False
    test: str
    file: str | None
    outcome: str
    duration: float
    command: int | None
    env: str | None
    reused: bool
    log: str


class RepoReport(BaseModel):
    repo: str
    specs: list[SpecSummary]
    completion_score: float = Field(description="weighted over all specs' requirements")
    tests_run: int
    tests_with_verdict: int
    tests_reused: int
    env_problems: list[EnvProblem]
    environments: list[dict]
    problems: list[str]
    test_seconds: float
    total_seconds: float
    commands: list[str] = Field(default_factory=list, description="each run's command line")
    evidence: list[TestEvidence] = Field(default_factory=list)


def _evidence(records: list) -> tuple[list[str], list[TestEvidence]]:
    commands: list[str] = []
    out = []
    for r in records:
        if r.command and r.command not in commands:
            commands.append(r.command)
        out.append(TestEvidence(
            test=r.test_id, file=r.file, outcome=r.status, duration=r.duration,
            command=commands.index(r.command) if r.command else None, env=r.env_digest,
            reused=r.reused, log=r.log_excerpt[-400:],
        ))  # fmt: skip
    return commands, out


def discover_specs(repo: Path) -> list[str]:
    """Spec keys (repo-relative paths) from the format-aware discovery that ingestion uses:
    each format's layout (hidden folders included), companions and `.agentops.yml` globs."""
    return [f.key for f in SpecFolder(repo).scan()]


def evaluate_repo(
    repo: Path,
    evidence_dir: Path,
    *,
    on_spec: Callable[[str], None] | None = None,
    on_tests: Callable[[str], None] | None = None,
    reuse_verdicts: bool = True,
    env_settings: RepoEnvSettings | None = None,
) -> tuple[RepoReport, list[QAScores]]:
    repo = repo.resolve()
    started = time.monotonic()
    keys = discover_specs(repo)
    if on_tests:
        on_tests(f"running the tests of {repo.name} in their environments")
    results = collect_test_results(
        repo.name,
        evidence_dir,
        repo=repo,
        environments=True,
        reuse_verdicts=reuse_verdicts,
        env_settings=env_settings,
    )
    test_seconds = time.monotonic() - started
    folder = SpecFolder(repo)
    summaries: list[SpecSummary] = []
    all_scores: list[QAScores] = []
    with one_run():  # the repo's test files and spec catalogue are read once for all specs
        for key in keys:
            if on_spec:
                on_spec(key)
            doc = build_document(load_raw_spec(folder, key), None)
            all_scores.append(score_spec(doc, results.model_copy(update={"spec_id": key})))
    for key, scores in zip(keys, all_scores, strict=True):
        statuses: dict[str, int] = {}
        for req in scores.requirements:
            statuses[req.status] = statuses.get(req.status, 0) + 1
        summaries.append(SpecSummary(
            spec=key, completion_score=scores.completion_score,
            requirements=len(scores.requirements), statuses=statuses,
            linked_tests=len({t.test_id for r in scores.requirements for t in r.tests}),
            problems=[p for p in scores.problems if not p.startswith("environment (")],
        ))  # fmt: skip
    total = sum(s.weight_total for s in all_scores)
    done = sum(s.weight_done for s in all_scores)
    no_verdict = sum(len(p.tests) for p in results.env_problems)
    commands, evidence = _evidence(results.records)
    report = RepoReport(
        repo=str(repo),
        specs=summaries,
        completion_score=round(done / total, 4) if total else 0.0,
        tests_run=len(results.records) + no_verdict,
        tests_with_verdict=sum(has_verdict(r.status, r.message) for r in results.records),
        tests_reused=sum(r.reused for r in results.records),
        env_problems=results.env_problems,
        environments=results.environments,
        problems=results.problems,
        test_seconds=round(test_seconds, 2),
        total_seconds=round(time.monotonic() - started, 2),
        commands=commands,
        evidence=evidence,
    )
    return report, all_scores
