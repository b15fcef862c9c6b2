from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agentops_pipelines.planning import (
    Edge,
    Task,
    TaskGraph,
    TaskGraphError,
    TaskType,
    build_plan,
    build_task_graph,
    graph_to_dot,
    graph_to_github_issues,
    graph_to_json,
    graph_to_markdown,
    task_graph_json_schema,
    validate_task_graph,
)
from agentops_pipelines.planning.canonical import content_hash
from agentops_pipelines.planning.graph_builder import finalise
from agentops_pipelines.planning.schema import schema_files
from tests.support.planning_factories import spec_doc

REPO = Path(__file__).resolve().parents[2]


def _graph() -> TaskGraph:
    return build_task_graph(build_plan(spec_doc(), "rest_service"))


def _tiny(tasks: list[Task], edges: list[tuple[str, str]], reqs: list[str]) -> TaskGraph:
    return TaskGraph(
        spec_id="s.md",
        template_id="rest_service",
        template_version="1.0",
        requirement_ids=reqs,
        tasks=tasks,
        edges=[Edge(source=s, target=t) for s, t in edges],
        artifacts=[],
    )


def _task(tid: str, rid: str = "FR-1", files: list[str] | None = None) -> Task:
    return Task(
        id=tid,
        type=TaskType.GENERATE_CODE,
        title=tid,
        description=tid,
        requirement_ids=[rid],
        files=files if files is not None else [f"{tid}.py"],
    )


def test_graph_has_every_task_type_and_covers_every_requirement() -> None:
    graph = _graph()
    assert {t.type for t in graph.tasks} == set(TaskType)
    for rid in graph.requirement_ids:
        kinds = {t.type for t in graph.tasks if rid in t.requirement_ids}
        assert {TaskType.GENERATE_CODE, TaskType.TEST} <= kinds
    assert all(t.files for t in graph.tasks)
    assert graph.hash == content_hash(graph, {"hash"})
    assert graph.task("generate_code:api:FR-001").files[0].startswith("src/api/fr_001.")


def test_parallel_levels_share_no_files_and_follow_edges() -> None:
    graph = _graph()
    groups = graph.parallel_groups()
    assert groups[0] and all(graph.task(t).type == TaskType.GENERATE_CODE for t in groups[0])
    assert groups[-1] == ["deploy"]
    level = {t.id: t.level for t in graph.tasks}
    assert all(level[e.source] < level[e.target] for e in graph.edges)
    for group in groups:
        files = [f for t in group for f in graph.task(t).files]
        assert len(files) == len(set(files))
        assert all(graph.task(t).parallel == (len(group) > 1) for t in group)


def test_hash_is_identical_in_another_process() -> None:
    code = (
        "from tests.support.planning_factories import spec_doc;"
        "from agentops_pipelines.planning import build_plan, build_task_graph;"
        "print(build_task_graph(build_plan(spec_doc(), 'rest_service')).hash)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == _graph().hash


def test_canonical_json_is_compact_sorted_and_round_trips() -> None:
    graph = _graph()
    text = graph_to_json(graph)
    assert "\n" not in text and ": " not in text
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    again = TaskGraph.model_validate_json(text)
    assert content_hash(again, {"hash"}) == graph.hash


def test_cycle_is_rejected_with_the_task_names() -> None:
    graph = _tiny(
        [_task("a"), _task("b"), _task("c")], [("a", "b"), ("b", "c"), ("c", "b")], ["FR-1"]
    )
    with pytest.raises(TaskGraphError) as err:
        validate_task_graph(graph)
    cycle = [p for p in err.value.problems if p.startswith("cycle")]
    assert cycle == ["cycle among tasks b, c"]


def test_orphan_dangling_uncovered_and_file_clash_are_all_reported() -> None:
    graph = finalise(
        _tiny(
            [_task("a", files=["x.py"]), _task("b", files=["x.py"]), _task("lonely")],
            [("a", "c"), ("b", "c"), ("c", "ghost")],
            ["FR-1", "FR-9"],
        )
    )
    with pytest.raises(TaskGraphError) as err:
        validate_task_graph(graph)
    problems = err.value.problems
    assert "orphan task lonely: no edge connects it" in problems
    assert any("dangling edge c -> ghost" in p for p in problems)
    assert "requirement FR-9 has no generate_code task" in problems
    assert "requirement FR-9 has no test task" in problems
    assert "parallel tasks a, b all write x.py" in problems
    assert "lonely" in str(err.value)


def test_duplicate_task_ids_are_rejected() -> None:
    graph = _tiny([_task("a"), _task("a", files=["y.py"])], [("a", "a")], ["FR-1"])
    with pytest.raises(TaskGraphError, match="duplicate task id a"):
        validate_task_graph(graph)


def test_schema_is_published_and_files_are_current() -> None:
    schema = task_graph_json_schema()
    assert {"tasks", "edges", "artifacts", "hash"} <= set(schema["properties"])
    for path, text in schema_files().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run python -m agentops_pipelines.planning.schema"
        )


def test_exports_name_every_task() -> None:
    graph = _graph()
    md = graph_to_markdown(graph)
    issues = graph_to_github_issues(graph)
    dot = graph_to_dot(graph)
    assert md.count("- [ ] ") == len(graph.tasks)
    assert len(issues) == len(graph.tasks)
    assert all(set(i) == {"title", "body", "labels"} and i["labels"] for i in issues)
    assert any("task:deploy" in i["labels"] for i in issues)
    assert dot.startswith("digraph") and dot.count("->") == len(graph.edges)
