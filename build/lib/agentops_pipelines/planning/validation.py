"""Task graph invariants; every problem names the tasks it is about."""

from __future__ import annotations

from collections import Counter, defaultdict

from agentops_pipelines.planning.graph_models import TaskGraph, TaskGraphError, TaskType


def assign_levels(graph: TaskGraph) -> dict[str, int]:
    """Longest-path level of each task (Kahn); tasks stuck in a cycle are left out."""
    known = {t.id for t in graph.tasks}
    preds: dict[str, set[str]] = {t: set() for t in known}
    succs: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        if e.source in known and e.target in known:
            preds[e.target].add(e.source)
            succs[e.source].add(e.target)
    remaining = {t: len(p) for t, p in preds.items()}
    frontier = sorted(t for t, n in remaining.items() if n == 0)
    levels = {t: 0 for t in frontier}
    while frontier:
        nxt: list[str] = []
        for task in frontier:
            for child in succs[task]:
                levels[child] = max(levels.get(child, 0), levels[task] + 1)
                remaining[child] -= 1
                if remaining[child] == 0:
                    nxt.append(child)
        frontier = sorted(nxt)
    return {t: levels[t] for t in known if remaining[t] == 0 and t in levels}


def _structure_problems(graph: TaskGraph, ids: set[str]) -> list[str]:
    problems: list[str] = []
    for e in graph.edges:
        for end in (e.source, e.target):
            if end not in ids:
                problems.append(f"dangling edge {e.source} -> {e.target}: no task {end!r}")
    if len(ids) > 1:
        touched = {e.source for e in graph.edges} | {e.target for e in graph.edges}
        problems += [f"orphan task {t}: no edge connects it" for t in sorted(ids - touched)]
    levels = assign_levels(graph)
    stuck = sorted(ids - set(levels))
    if stuck:
        problems.append(f"cycle among tasks {', '.join(stuck)}")
    return problems


def _content_problems(graph: TaskGraph) -> list[str]:
    problems: list[str] = []
    for kind in (TaskType.GENERATE_CODE, TaskType.TEST):
        covered = {rid for t in graph.tasks if t.type == kind for rid in t.requirement_ids}
        problems += [
            f"requirement {rid} has no {kind} task"
            for rid in graph.requirement_ids
            if rid not in covered
        ]
    writers: dict[tuple[int, str], list[str]] = defaultdict(list)
    for t in graph.tasks:
        if t.parallel:
            for path in t.files:
                writers[(t.level, path)].append(t.id)
    for (_, path), tasks in sorted(writers.items()):
        if len(tasks) > 1:
            problems.append(f"parallel tasks {', '.join(sorted(tasks))} all write {path}")
    return problems


def task_graph_problems(graph: TaskGraph) -> list[str]:
    """Every broken invariant, as readable sentences; empty when the graph is valid."""
    ids = [t.id for t in graph.tasks]
    problems = [f"duplicate task id {t}" for t, n in sorted(Counter(ids).items()) if n > 1]
    problems += _structure_problems(graph, set(ids))
    problems += _content_problems(graph)
    return problems


def validate_task_graph(graph: TaskGraph) -> None:
    problems = task_graph_problems(graph)
    if problems:
        raise TaskGraphError(problems)
