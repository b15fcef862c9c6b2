"""Build the deterministic TaskGraph of a plan.

Task IDs come from content (type, component, requirement), never from a counter, so adding a
requirement adds tasks without renaming any existing one, and the hash only moves when the
work really changes.
"""

from __future__ import annotations

from agentops_pipelines.planning.canonical import content_hash
from agentops_pipelines.planning.graph_models import Artifact, Edge, Task, TaskGraph, TaskType
from agentops_pipelines.planning.layout import Layout
from agentops_pipelines.planning.mapping import natural_key
from agentops_pipelines.planning.models import PlanDraft
from agentops_pipelines.planning.validation import assign_levels, validate_task_graph


def _components_by_requirement(plan: PlanDraft) -> dict[str, list[str]]:
    owned: dict[str, list[str]] = {rid: [] for rid in plan.requirement_ids}
    for comp in plan.components:
        for rid in comp.requirement_ids:
            owned.setdefault(rid, []).append(comp.id)
    return {rid: sorted(c) for rid, c in owned.items()}


def _stage_tasks(plan: PlanDraft, layout: Layout) -> tuple[list[Task], list[Edge]]:
    """One stage after another: code -> assemble -> validate -> test -> package -> deploy."""
    tasks: list[Task] = []
    edges: list[Edge] = []
    owned = _components_by_requirement(plan)
    all_ids = sorted(plan.requirement_ids, key=natural_key)
    for comp in plan.components:
        rids = sorted(comp.requirement_ids, key=natural_key)
        assemble_id, validate_id = f"assemble:{comp.id}", f"validate:{comp.id}"
        for rid in rids:
            code_id = f"generate_code:{comp.id}:{rid}"
            tasks.append(
                Task(
                    id=code_id,
                    type=TaskType.GENERATE_CODE,
                    title=f"Implement {rid} in {comp.name}",
                    description=f"Write the {comp.name.lower()} code that satisfies {rid}.",
                    component_id=comp.id,
                    requirement_ids=[rid],
                    files=[layout.source(comp.id, rid)],
                )
            )
            edges.append(Edge(source=code_id, target=assemble_id))
        tasks.append(
            Task(
                id=assemble_id,
                type=TaskType.ASSEMBLE,
                title=f"Assemble {comp.name}",
                description=f"Wire the generated pieces of {comp.id} into one module.",
                component_id=comp.id,
                requirement_ids=rids,
                files=[layout.module(comp.id)],
            )
        )
        tasks.append(
            Task(
                id=validate_id,
                type=TaskType.VALIDATE,
                title=f"Validate {comp.name}",
                description=f"Lint, type-check and import-check {comp.id}.",
                component_id=comp.id,
                requirement_ids=rids,
                files=[layout.report(comp.id)],
            )
        )
        edges.append(Edge(source=assemble_id, target=validate_id))
    for rid in all_ids:
        test_id = f"test:{rid}"
        tasks.append(
            Task(
                id=test_id,
                type=TaskType.TEST,
                title=f"Test {rid}",
                description=f"Turn the acceptance criteria of {rid} into tests and run them.",
                requirement_ids=[rid],
                files=[layout.test(rid)],
            )
        )
        edges.extend(Edge(source=f"validate:{c}", target=test_id) for c in owned[rid])
        edges.append(Edge(source=test_id, target="package"))
    tasks.append(
        Task(
            id="package",
            type=TaskType.PACKAGE,
            title="Package the release",
            description="Build the distributable once every test is green.",
            requirement_ids=all_ids,
            files=[layout.manifest()],
        )
    )
    tasks.append(
        Task(
            id="deploy",
            type=TaskType.DEPLOY,
            title=f"Deploy ({layout.deployment})",
            description=f"Release the package to {layout.deployment}.",
            requirement_ids=all_ids,
            files=[layout.deployment_file()],
        )
    )
    edges.append(Edge(source="package", target="deploy"))
    return tasks, edges


def _artifacts(tasks: list[Task]) -> list[Artifact]:
    kinds = {
        TaskType.GENERATE_CODE: "source",
        TaskType.ASSEMBLE: "module",
        TaskType.VALIDATE: "report",
        TaskType.TEST: "test",
        TaskType.PACKAGE: "package",
        TaskType.DEPLOY: "deployment",
    }
    return [
        Artifact(id=f"{task.id}#{path}", kind=kinds[task.type], path=path, produced_by=task.id)
        for task in tasks
        for path in task.files
    ]


def finalise(graph: TaskGraph) -> TaskGraph:
    """Sort, level, mark parallel tasks and hash: the one place a graph gets its identity."""
    levels = assign_levels(graph)
    sizes: dict[int, int] = {}
    for level in levels.values():
        sizes[level] = sizes.get(level, 0) + 1
    tasks = sorted(
        (
            t.model_copy(update={"level": levels[t.id], "parallel": sizes[levels[t.id]] > 1})
            for t in graph.tasks
        ),
        key=lambda t: t.id,
    )
    edges = sorted({(e.source, e.target) for e in graph.edges})
    sorted_graph = graph.model_copy(
        update={
            "tasks": tasks,
            "edges": [Edge(source=s, target=t) for s, t in edges],
            "artifacts": sorted(graph.artifacts, key=lambda a: a.id),
            "requirement_ids": sorted(graph.requirement_ids, key=natural_key),
        }
    )
    return sorted_graph.model_copy(update={"hash": content_hash(sorted_graph, {"hash"})})


def build_task_graph(plan: PlanDraft, validate: bool = True) -> TaskGraph:
    """The hashed task graph of a plan; with validate, raises TaskGraphError on a broken rule."""
    layout = Layout(plan)
    tasks, edges = _stage_tasks(plan, layout)
    graph = TaskGraph(
        spec_id=plan.spec_id,
        template_id=plan.template_id,
        template_version=plan.template_version,
        requirement_ids=plan.requirement_ids,
        tasks=tasks,
        edges=edges,
        artifacts=_artifacts(tasks),
    )
    graph = finalise(graph)
    if validate:
        validate_task_graph(graph)
    return graph
