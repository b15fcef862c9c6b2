"""Where generated files go, per language, so every task can name the files it writes."""

from __future__ import annotations

import re

from agentops_pipelines.planning.models import PlanDraft

_KEYS = ("ext", "module", "manifest", "test")
_LAYOUT = {
    "python": dict(
        zip(_KEYS, ("py", "__init__.py", "pyproject.toml", "test_{slug}.py"), strict=True)
    ),
    "typescript": dict(
        zip(_KEYS, ("ts", "index.ts", "package.json", "{slug}.test.ts"), strict=True)
    ),
    "go": dict(zip(_KEYS, ("go", "doc.go", "go.mod", "{slug}_test.go"), strict=True)),
}


def slug(text: str) -> str:
    """File-name-safe, lower-case; requirement IDs like 'REQ-3.1' become 'req_3_1'."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "x"


class Layout:
    def __init__(self, plan: PlanDraft) -> None:
        stack = {c.category: c.chosen.id for c in plan.stack}
        self.language = stack.get("language", "python")
        self.deployment = stack.get("deployment", "container")
        self._spec = _LAYOUT.get(self.language, _LAYOUT["python"])

    def source(self, component: str, requirement_id: str) -> str:
        return f"src/{component}/{slug(requirement_id)}.{self._spec['ext']}"

    def module(self, component: str) -> str:
        return f"src/{component}/{self._spec['module']}"

    def report(self, component: str) -> str:
        return f"reports/validate/{component}.json"

    def test(self, requirement_id: str) -> str:
        return "tests/" + self._spec["test"].format(slug=slug(requirement_id))

    def manifest(self) -> str:
        return self._spec["manifest"]

    def deployment_file(self) -> str:
        return f"deploy/{self.deployment}.yaml"
