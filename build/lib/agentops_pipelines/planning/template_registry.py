"""The plan templates we ship: one Jinja2 file each under `templates/`, with an ID and version.

The version is part of every PlanDraft so a changed template marks its plans as produced by an
older template instead of silently re-meaning them.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel

TemplateId = Literal["rest_service", "data_pipeline", "web_feature", "cli_library"]


class PlanTemplate(BaseModel):
    id: str
    version: str
    title: str
    description: str
    file: str
    keywords: list[str]


TEMPLATES: dict[str, PlanTemplate] = {
    t.id: t
    for t in (
        PlanTemplate(
            id="rest_service",
            version="1.0",
            title="REST service",
            description="An HTTP/JSON service with persistence behind it",
            file="rest_service.md.j2",
            keywords=["api", "endpoint", "http", "webhook", "request", "service"],
        ),
        PlanTemplate(
            id="data_pipeline",
            version="1.0",
            title="Data pipeline",
            description="Scheduled, idempotent batch jobs producing tables or files",
            file="data_pipeline.md.j2",
            keywords=["pipeline", "batch", "daily", "schedule", "period", "ingest", "report"],
        ),
        PlanTemplate(
            id="web_feature",
            version="1.0",
            title="Web feature",
            description="A user-facing feature: pages, forms and the API behind them",
            file="web_feature.md.j2",
            keywords=["page", "tab", "button", "form", "screen", "browser", "download"],
        ),
        PlanTemplate(
            id="cli_library",
            version="1.0",
            title="CLI / library",
            description="A command-line tool or an importable library",
            file="cli_library.md.j2",
            keywords=["cli", "command", "flag", "library", "install", "terminal"],
        ),
    )
}


def get_template(template_id: str) -> PlanTemplate:
    try:
        return TEMPLATES[template_id]
    except KeyError:
        from agentops_pipelines.planning.models import PlanInputError

        raise PlanInputError(
            "template", f"unknown template {template_id!r}", f"choose one of {sorted(TEMPLATES)}"
        ) from None


assert set(get_args(TemplateId)) == set(TEMPLATES), "TemplateId must list every template"
