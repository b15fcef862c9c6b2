"""Plans and task graphs as Markdown, GitHub-issue payloads and Graphviz DOT."""

from __future__ import annotations

from agentops_pipelines.planning.canonical import canonical_json
from agentops_pipelines.planning.graph_models import TaskGraph
from agentops_pipelines.planning.models import PlanDraft


def plan_to_json(plan: PlanDraft) -> str:
    return plan.model_dump_json(indent=2)


def plan_to_markdown(plan: PlanDraft) -> str:
    lines = [
        f"# Technical plan: {plan.spec_title}",
        "",
        f"- Spec: `{plan.spec_id}` (content sha256 `{plan.spec_content_hash[:12]}`)",
        f"- Template: {plan.template_id} v{plan.template_version}; rules v{plan.rules_version}; "
        f"plan schema v{plan.schema_version}",
        "",
    ]
    for section in plan.sections:
        body = section.markdown.strip()
        lines.append(body if body.startswith("## ") else f"## {section.title}\n\n{body}")
        lines.append("")
        if section.source == "llm":
            lines.append("> LLM-enriched: review this section before relying on it.")
            lines.append("")
        lines.append(f"_Covers: {', '.join(section.requirement_ids) or 'none'}_")
        lines.append("")
    return "\n".join(lines)


def graph_to_json(graph: TaskGraph) -> str:
    """The canonical form: the bytes the hash is computed from, plus the hash itself."""
    return canonical_json(graph)


def graph_to_markdown(graph: TaskGraph) -> str:
    lines = [
        f"# Tasks for `{graph.spec_id}`",
        "",
        f"Template {graph.template_id} v{graph.template_version}; graph sha256 `{graph.hash}`",
        "",
    ]
    deps = _dependencies(graph)
    for level, group in enumerate(graph.parallel_groups()):
        note = " (parallel)" if len(group) > 1 else ""
        lines += [f"## Level {level}{note}", ""]
        for task_id in group:
            task = graph.task(task_id)
            after = f"; after {', '.join(deps[task_id])}" if deps[task_id] else ""
            lines.append(
                f"- [ ] `{task.id}` {task.title} - requirements {', '.join(task.requirement_ids)}"
                f"; files {', '.join(task.files)}{after}"
            )
        lines.append("")
    return "\n".join(lines)


def graph_to_github_issues(graph: TaskGraph) -> list[dict[str, object]]:
    """One issue payload per task, ready for PyGithub's `create_issue(**payload)`."""
    deps = _dependencies(graph)
    issues: list[dict[str, object]] = []
    for task in graph.tasks:
        body = "\n".join(
            [
                task.description,
                "",
                f"- Task: `{task.id}` (level {task.level})",
                f"- Requirements: {', '.join(task.requirement_ids)}",
                f"- Files: {', '.join(f'`{f}`' for f in task.files)}",
                f"- Depends on: {', '.join(f'`{d}`' for d in deps[task.id]) or 'nothing'}",
                f"- Spec: `{graph.spec_id}`, graph `{graph.hash[:12]}`",
            ]
        )
        labels = ["agentops", f"task:{task.type}"]
        if task.component_id:
            labels.append(f"component:{task.component_id}")
        issues.append({"title": f"[{graph.spec_id}] {task.title}", "body": body, "labels": labels})
    return issues


def graph_to_dot(graph: TaskGraph) -> str:
    """Graphviz DOT for st.graphviz_chart; same-level tasks share a rank."""
    lines = ["digraph tasks {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for group in graph.parallel_groups():
        names = " ".join(_quote(t) for t in group)
        lines.append(f"  {{ rank=same; {names} }}")
    lines += [f"  {_quote(e.source)} -> {_quote(e.target)};" for e in graph.edges]
    lines.append("}")
    return "\n".join(lines)


def _quote(text: str) -> str:
    """DOT IDs with ':' or '-' must be quoted, and quotes inside escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dependencies(graph: TaskGraph) -> dict[str, list[str]]:
    deps: dict[str, list[str]] = {t.id: [] for t in graph.tasks}
    for edge in graph.edges:
        deps.setdefault(edge.target, []).append(edge.source)
    return deps
