"""`agentops qa`: requirement status and completion score for any spec and repository.

Works without Dagster or an AgentOps home: the spec is parsed from its file (any of the four
formats), Python tests run in the sandbox, other languages contribute their JUnit files.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from agentops_pipelines.qa.claims import CLAIMED_NOT_VERIFIED
from agentops_pipelines.qa.config import QAConfigError
from agentops_pipelines.qa.sandbox import SandboxUnavailableError
from agentops_pipelines.qa.score_models import QAScores
from agentops_pipelines.qa.whole_repo import RepoReport
from agentops_pipelines.repos.envsettings import RepoEnvSettingsError
from agentops_pipelines.specs.models import SpecInputError

console = Console()
_STYLE = {"passing": "green", "failing": "red", "pending": "yellow", "untested": "dim"}


def qa_json(scores: QAScores) -> dict[str, Any]:
    """The stable JSON contract: requirements [{id, status, tests}], completion_score, risk."""
    return {
        "spec": scores.spec_id,
        "completion_score": scores.completion_score,
        "requirements": [
            {
                "id": r.id,
                "title": r.title,
                "status": r.status,
                "claimed": r.claimed,
                "claimed_tasks": r.claimed_tasks,
                "weight": r.weight,
                "tests": [
                    {
                        "id": t.test_id,
                        "result": t.result,
                        "origin": t.origin,
                        "link": t.link_kind,
                        "file": t.file,
                        "line": t.line,
                        "evidence": t.link_evidence,
                        "cited": t.cited,
                    }
                    for t in r.tests
                ],
            }
            for r in scores.requirements
        ],
        "risk": [
            {
                "requirement": row.requirement_id,
                "total": row.total,
                "cells": {
                    c.factor: {"level": c.level, "value": c.value, "rule": c.rule}
                    for c in row.cells
                },
            }
            for row in scores.heatmap
        ],
        "rules": [r.model_dump() for r in scores.rules],
        "orphans": [o.model_dump() for o in scores.orphans],
        "ambiguous_citations": [a.model_dump() for a in scores.ambiguous_citations],
        "discrepancies": [
            {"kind": CLAIMED_NOT_VERIFIED, "requirement": r.id, "tasks": r.claimed_tasks}
            for r in scores.requirements
            if r.claimed_not_verified
        ],
        "problems": scores.problems,
    }


def _table(scores: QAScores) -> Table:
    table = Table(title=f"{scores.spec_id}: completion {scores.completion_score:.0%}")
    for column in ("requirement", "status", "tests", "risk", "title"):
        table.add_column(column, overflow="fold")
    risk = {row.requirement_id: row.total for row in scores.heatmap}
    for req in scores.requirements:
        tests = ", ".join(f"{t.test_id.rsplit('.', 1)[-1]} ({t.result})" for t in req.tests)
        table.add_row(
            req.id,
            req.status,
            tests or "-",
            str(risk.get(req.id, 0)),
            req.title,
            style=_STYLE.get(req.status, ""),
        )
    return table


def repo_json(report: RepoReport) -> dict[str, Any]:
    """Whole-repo contract: each spec's score and statuses, the total, the test-run figures."""
    return report.model_dump(mode="json")


def _repo_table(report: RepoReport) -> Table:
    table = Table(title=f"{Path(report.repo).name}: completion {report.completion_score:.0%}")
    for column in ("spec", "completion", "requirements", "passing", "failing", "untested"):
        table.add_column(column, overflow="fold")
    for spec in report.specs:
        table.add_row(
            spec.spec, f"{spec.completion_score:.0%}", str(spec.requirements),
            str(spec.statuses.get("passing", 0)), str(spec.statuses.get("failing", 0)),
            str(spec.statuses.get("untested", 0)),
        )  # fmt: skip
    count = sum(s.requirements for s in report.specs)
    table.add_row("total", f"{report.completion_score:.0%}", str(count), "", "", "", style="bold")
    return table


def _whole_repo(repo: Path, evidence_dir: Path, output_format: str) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from agentops_pipelines.qa.whole_repo import discover_specs, evaluate_repo

    err = Console(stderr=True)
    keys = discover_specs(repo)
    if not keys:
        raise typer.BadParameter(
            f"--repo {repo}: no spec files found (.kiro/specs, specs/NNN-*, openspec, *.md)"
        )
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=output_format == "json") as progress:  # fmt: skip
        tests = progress.add_task("tests: building environments and running", total=1)
        specs = progress.add_task("specs", total=len(keys))

        def on_spec(key: str) -> None:
            progress.update(tests, completed=1)
            progress.update(specs, advance=1, description=f"specs: {key}")

        report, _ = evaluate_repo(repo, evidence_dir, on_spec=on_spec)
    if output_format == "json":
        typer.echo(json.dumps(repo_json(report), indent=2))
        return
    console.print(_repo_table(report))
    console.print(
        f"tests: {report.tests_run} run, {report.tests_with_verdict} with a pass/fail verdict, "
        f"{report.tests_reused} verdicts reused; {report.test_seconds:.1f}s"
    )
    for env_problem in report.env_problems:
        console.print(
            f"[yellow]environment ({env_problem.kind}): {env_problem.message} "
            f"({len(env_problem.tests)} tests)[/yellow]"
        )
    for problem in report.problems:
        console.print(f"[yellow]{problem}[/yellow]")
    console.print(f"evidence: {evidence_dir}")


def qa_command(
    spec: Path = typer.Option(
        None,
        "--spec",
        help="Spec file (spec-kit, Kiro, OpenSpec or plain); without it, every spec of --repo",
    ),
    repo: Path = typer.Option(None, "--repo", help="Repository with the tests (Python or TS/JS)"),
    junit: list[Path] = typer.Option(
        None, "--junit", help="JUnit XML from CI, jest or mocha (repeatable)"
    ),
    output_format: str = typer.Option("table", "--format", help="table | json"),
    run: bool = typer.Option(True, help="Run Python tests in the sandbox (--no-run: JUnit only)"),
    evidence: Path = typer.Option(None, help="Folder for JUnit XML and logs (default: a temp dir)"),
    env: bool = typer.Option(
        False,
        "--env/--no-env",
        help="With --spec: build the repo's own environment (uv / npm) "
        "and run all its suites there (always on without --spec)",
    ),
) -> None:
    """Per-requirement status, linked tests, completion score and risk for SPEC against REPO;
    with --repo alone, every spec of the repository and the total."""
    from agentops_pipelines.qa.pipeline import evaluate, load_spec_file

    if output_format not in ("table", "json"):
        raise typer.BadParameter(f"--format {output_format!r} is not one of table, json")
    if repo is not None and not repo.is_dir():
        raise typer.BadParameter(f"--repo {repo} is not a directory: pass the repository root")
    if spec is None and repo is None:
        raise typer.BadParameter("pass --spec FILE, --repo DIR (every spec of it), or both")
    if spec is None:
        try:
            _whole_repo(repo.resolve(), evidence or Path(tempfile.mkdtemp(prefix="agentops-qa-")),
                        output_format)  # fmt: skip
        except (
            SpecInputError,
            QAConfigError,
            SandboxUnavailableError,
            RepoEnvSettingsError,
        ) as err:
            console.print(f"[red]agentops qa: {err}[/red]")
            raise typer.Exit(code=2) from err
        return
    missing = [str(p) for p in junit or [] if not p.is_file()]
    if missing:
        raise typer.BadParameter(f"--junit file(s) not found: {', '.join(missing)}")
    evidence_dir = evidence or Path(tempfile.mkdtemp(prefix="agentops-qa-"))
    try:
        doc = load_spec_file(spec)
        _, scores = evaluate(
            doc,
            evidence_dir,
            repo=repo.resolve() if repo else None,
            junit_files=list(junit or []),
            run_tests=run,
            environments=env,
        )
    except (SpecInputError, QAConfigError, SandboxUnavailableError, RepoEnvSettingsError) as err:
        console.print(f"[red]agentops qa: {err}[/red]")
        raise typer.Exit(code=2) from err
    if output_format == "json":
        typer.echo(json.dumps(qa_json(scores), indent=2))
        return
    console.print(_table(scores))
    for rule in scores.rules:
        if not rule.passed:
            console.print(
                f"[{'red' if rule.severity == 'error' else 'yellow'}]rule {rule.rule_id}: "
                f"{rule.description} -> {', '.join(rule.violations)}"
            )
    for req in scores.requirements:
        if req.claimed_not_verified:
            console.print(
                f"[yellow]{CLAIMED_NOT_VERIFIED}: {req.id} ({', '.join(req.claimed_tasks)})"
            )
    for item in scores.ambiguous_citations:
        console.print(
            f"[yellow]ambiguous citation {item.cited!r} at {item.file}:{item.line}: could mean "
            f"{', '.join(item.candidates)}; name the feature in the test[/yellow]"
        )
    for problem in scores.problems:
        console.print(f"[yellow]{problem}[/yellow]")
    console.print(f"evidence: {evidence_dir}")
