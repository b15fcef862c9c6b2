"""The codegen prompt for one task: instructions, the requirement text, and the code context."""

from __future__ import annotations

from agentops_pipelines.codeintel.context import CodeContext
from agentops_pipelines.llm.models import Message
from agentops_pipelines.planning.graph_models import Task
from agentops_pipelines.specs.models import SpecDocument

SYSTEM = (
    "You write production code and pytest/jest tests for one task of a software spec. Answer "
    "with a JSON object: `summary` (one sentence), and either `diff` (a unified diff against the "
    "workspace, paths prefixed a/ and b/, new files from /dev/null) or `files` (a list of "
    "{path, content} with the complete new content). Touch only what the task needs. Python "
    'must pass `ruff check`; tests of a requirement carry @pytest.mark.requirement("<ID>").'
)


def task_query(task: Task, spec: SpecDocument) -> str:
    """The text a retriever matches code against: task, requirement statements and criteria."""
    parts = [task.title, task.description]
    for rid in task.requirement_ids:
        try:
            req = spec.requirement(rid)
        except KeyError:
            continue
        parts += [req.title or "", req.text, *(c.text for c in req.acceptance_criteria)]
    return "\n".join(p for p in parts if p)


def _requirements(task: Task, spec: SpecDocument) -> str:
    blocks = []
    for rid in task.requirement_ids:
        try:
            req = spec.requirement(rid)
        except KeyError:
            blocks.append(f"- {rid}: (not in the spec any more)")
            continue
        criteria = "\n".join(f"  - {c.id}: {c.text}" for c in req.acceptance_criteria)
        blocks.append(
            f"- {rid}: {req.text}" + (f"\n  Acceptance criteria:\n{criteria}" if criteria else "")
        )
    return "\n".join(blocks) or "(none)"


def build_messages(task: Task, spec: SpecDocument, context: CodeContext) -> list[Message]:
    user = "\n\n".join(
        [
            f"Spec: {spec.title} ({spec.spec_id})",
            f"Task {task.id} ({task.type.value}): {task.title}\n{task.description}",
            f"Files the task declares: {', '.join(task.files) or '(none)'}",
            f"Requirements:\n{_requirements(task, spec)}",
            "Relevant code (whole files or outlines):\n"
            + (context.render() or "(empty repository)"),
        ]
    )
    return [Message(role="system", content=SYSTEM), Message(role="user", content=user)]
