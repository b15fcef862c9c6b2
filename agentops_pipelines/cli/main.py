"""`agentops` command line: the same domain code and Dagster jobs the UI uses."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, cast

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.settings import get_settings
from agentops_pipelines.specs.models import SpecDocument

app = typer.Typer(help="AgentOps: specs in, verified pull requests out.", no_args_is_help=True)
console = Console()
Mode = Literal["bm25", "dense", "hybrid"]


@app.callback()
def _startup() -> None:
    """Every command's logs pass through the secret filter before any handler writes them."""
    from agentops_pipelines.security import install_secret_filter

    install_secret_filter()


@app.command()
def ingest(
    path: Path = typer.Argument(None, help="Folder or git clone of specs (default: settings)"),
    dagster: bool = typer.Option(
        True, help="Materialise through Dagster (runs show in the UI); --no-dagster parses only"
    ),
    show_skipped: bool = typer.Option(
        False, "--show-skipped", help="List every file not taken as a spec, with the reason"
    ),
    submit: bool = typer.Option(
        True,
        help="With AGENTOPS_DAGSTER_URL set and its daemon up, queue runs on the deployment "
        "instead of executing them here; --no-submit always runs in-process",
    ),
) -> None:
    """Ingest every new or changed spec under PATH and print a summary table."""
    from agentops_pipelines.cli.ingest import ingest_with_dagster, parse_only
    from agentops_pipelines.runs.submit import daemon_healthy, dagster_url

    settings = get_settings()
    if path is not None:
        settings = settings.with_paths(specs_path=path.resolve())
    url = dagster_url(settings=settings) if (dagster and submit) else None
    if url and not daemon_healthy(url):
        console.print(f"[yellow]{url}: no healthy daemon; running in-process[/yellow]")
        url = None
    with Progress(console=console, transient=True) as progress:
        if not dagster:
            rows = parse_only(settings, progress)
        else:
            rows = ingest_with_dagster(settings, progress, submit_to=url)
    table = Table(title=f"Specs in {settings.specs_path}")
    table.add_column("spec", overflow="fold", min_width=20)
    for column in ("status", "format", "requirements", "criteria"):
        table.add_column(column)
    table.add_column("detail", overflow="fold")
    failed = 0
    for row in rows:
        failed += row.status == "failed"
        style = {"failed": "red", "unchanged": "dim", "refused": "yellow"}.get(row.status, "")
        table.add_row(  # Text, not markup: a spec id or error holding '[' is shown as written
            Text(row.spec_id),
            row.status,
            row.format,
            str(row.requirements),
            str(row.criteria),
            Text(row.detail),
            style=style,
        )
    console.print(table)
    ran = sum(r.status not in ("unchanged", "refused") for r in rows)
    refused = sum(r.status == "refused" for r in rows)
    over = f", {refused} refused by the plan's spec limit" if refused else ""
    console.print(f"{len(rows)} specs, {ran} ingested, {failed} failed{over}")
    _print_skipped(settings.specs_path, show_skipped)
    if failed:
        raise typer.Exit(code=1)


def _print_skipped(root: Path, full: bool) -> None:
    """Say which files were not taken as specs and why (companions, hidden folders, ...)."""
    from agentops_pipelines.specs.layout import skipped_summary
    from agentops_pipelines.specs.source import SpecFolder

    _, discovery = SpecFolder(root).discover()
    summary = skipped_summary(discovery)
    if summary is None:
        return
    hint = "" if full else " (--show-skipped lists them)"
    console.print(f"[dim]{summary}{hint}[/dim]")
    if full:
        for item in discovery.skipped:
            console.print(f"[dim]  {item.key}: {item.reason}[/dim]")


@app.command()
def specs() -> None:
    """List the ingested specs with their format and requirement counts."""
    settings = get_settings()
    store = ArtefactStore(settings.artefact_root)
    keys = store.keys("spec_document")
    if not keys:
        console.print("No specs ingested yet: run `agentops ingest PATH` or `make demo`.")
        raise typer.Exit(code=0)
    table = Table(title=f"Ingested specs ({settings.artefact_root})")
    table.add_column("spec", overflow="fold", min_width=20)
    for column in ("format", "title", "requirements", "criteria", "findings", "downstream"):
        table.add_column(column)
    from agentops_pipelines.runs.failures import with_last_failure
    from agentops_pipelines.specs.freshness import RUNS_HINT, downstream_status

    behind = 0
    failed: list[str] = []
    for key in keys:
        doc = store.read_model("spec_document", key, SpecDocument)
        if doc is None:
            continue
        status = with_last_failure(downstream_status(store, key))
        behind += bool(status and not status.fresh)
        if status is not None and status.stale:
            failed.append(f"{key}: {status.banner()}")
        table.add_row(
            key,
            doc.format.value,
            doc.title,
            str(len(doc.requirements)),
            str(doc.criteria_count),
            str(len(doc.findings)),
            status.summary() if status else "",
            style=None if status is None or status.fresh else "yellow",
        )
    console.print(table)
    if behind:
        console.print(f"{behind} spec(s) with a stale or missing downstream: {RUNS_HINT}")
    for line in failed:
        console.print(line, markup=False, highlight=False)


@app.command()
def plan(
    spec_id: str = typer.Argument(..., help="Ingested spec ID, e.g. billing-invoices/spec.md"),
    template: str = typer.Option(
        None, help="rest_service | data_pipeline | web_feature | cli_library"
    ),
    output: str = typer.Option("markdown", help="markdown | json | hash"),
) -> None:
    """Build the technical plan and task graph for an ingested spec (same code as the API)."""
    from agentops_pipelines.planning import plan_to_json
    from agentops_pipelines.planning.cli import plan_spec
    from agentops_pipelines.planning.models import PlanInputError

    try:
        result = plan_spec(spec_id, template=template)
    except PlanInputError as err:  # the message names the input and the fix: no traceback
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=2) from None
    if output == "json":
        console.print_json(plan_to_json(result.plan))
    elif output == "hash":
        console.print(result.hash)
    else:
        console.print(result.markdown(), soft_wrap=True, markup=False, highlight=False)
        console.print(f"task graph sha256={result.hash} tasks={len(result.task_graph.tasks)}")


@app.command()
def search(
    query: str = typer.Argument(..., help="What to look for in the ingested specs"),
    top_k: int = typer.Option(10, help="How many results"),
    mode: str = typer.Option("hybrid", help="hybrid | bm25 | dense"),
    spec: list[str] = typer.Option(None, help="Only these spec IDs (repeatable)"),
) -> None:
    """Hybrid search over the indexed specs: scores and which retrievers matched."""
    from agentops_pipelines.retrieval.models import SearchFilters
    from agentops_pipelines.retrieval.spec_search import format_hits
    from agentops_pipelines.retrieval.spec_search import search as run_search

    if mode not in ("hybrid", "bm25", "dense"):
        raise typer.BadParameter(f"--mode {mode!r} is not one of hybrid, bm25, dense")
    filters = SearchFilters(spec_ids=spec) if spec else None
    hits = run_search(query, filters=filters, top_k=top_k, mode=cast(Mode, mode), source="cli")
    console.print(format_hits(hits), markup=False, highlight=False)


from agentops_pipelines.cli.qa import qa_command  # noqa: E402 - registered after the others

app.command("qa")(qa_command)

from agentops_pipelines.cli.kpi import kpi_command  # noqa: E402 - registered after the others

app.command("kpi")(kpi_command)

from agentops_pipelines.cli.auth import auth_app  # noqa: E402 - registered after the others

app.add_typer(auth_app, name="auth")

from agentops_pipelines.cli.db import db_app  # noqa: E402 - registered after the others

app.add_typer(db_app, name="db")


if __name__ == "__main__":
    app()
