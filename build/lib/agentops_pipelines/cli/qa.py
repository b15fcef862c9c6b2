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

from agentops_pipelines.qa.config import QAConfigError
from agentops_pipelines.qa.sandbox import SandboxUnavailableError
from agentops_pipelines.qa.scores import QAScores
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
                "weight": r.weight,
                "tests": [
                    {
                        "id": t.test_id,
                        "result": t.result,
                        "origin": t.origin,
                        "link": t.link_kind,
                        "file": t.file,
                        "line": t.line,
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


def qa_command(
    spec: Path = typer.Option(..., "--spec", help="Spec file (spec-kit, Kiro, OpenSpec or plain)"),
    repo: Path = typer.Option(None, "--repo", help="Repository with the tests (Python or TS/JS)"),
    junit: list[Path] = typer.Option(
        None, "--junit", help="JUnit XML from CI, jest or mocha (repeatable)"
    ),
    output_format: str = typer.Option("table", "--format", help="table | json"),
    run: bool = typer.Option(True, help="Run Python tests in the sandbox (--no-run: JUnit only)"),
    evidence: Path = typer.Option(None, help="Folder for JUnit XML and logs (default: a temp dir)"),
) -> None:
    """Per-requirement status, linked tests, completion score and risk for SPEC against REPO."""
    from agentops_pipelines.qa.pipeline import evaluate, load_spec_file

    if output_format not in ("table", "json"):
        raise typer.BadParameter(f"--format {output_format!r} is not one of table, json")
    if repo is not None and not repo.is_dir():
        raise typer.BadParameter(f"--repo {repo} is not a directory: pass the repository root")
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
        )
    except (SpecInputError, QAConfigError, SandboxUnavailableError) as err:
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
    for problem in scores.problems:
        console.print(f"[yellow]{problem}[/yellow]")
    console.print(f"evidence: {evidence_dir}")
