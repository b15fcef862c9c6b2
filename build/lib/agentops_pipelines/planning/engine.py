"""Render plan templates in a sandbox and split the output into named sections.

Templates are data a user may one day upload, so they run in Jinja2's SandboxedEnvironment with
StrictUndefined: a template cannot reach Python internals, and a misspelt variable fails loudly
instead of rendering as an empty string.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from agentops_pipelines.planning.models import SECTION_NAMES
from agentops_pipelines.planning.template_registry import get_template

_MARKER = re.compile(r"^<!-- section: ([a-z_]+) -->$", re.MULTILINE)


@lru_cache(maxsize=1)
def plan_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=PackageLoader("agentops_pipelines.planning", "templates"),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["idlist"] = lambda ids: ", ".join(ids) if ids else "none"
    return env


def render_sections(template_id: str, context: dict[str, Any]) -> dict[str, str]:
    """Render one template and return section name -> markdown, in SECTION_NAMES order."""
    template = plan_environment().get_template(get_template(template_id).file)
    text = template.render(**context)
    parts = _MARKER.split(text)
    sections = {parts[i]: parts[i + 1].strip() + "\n" for i in range(1, len(parts) - 1, 2)}
    missing = [name for name in SECTION_NAMES if name not in sections]
    if missing:
        raise ValueError(
            f"template {template_id!r} rendered no sections {missing}; every plan template "
            f"must extend _base.md.j2 and keep its section markers"
        )
    return {name: sections[name] for name in SECTION_NAMES}
