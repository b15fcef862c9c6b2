"""The task graph contract: tasks, dependency edges and produced artefacts."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

TASK_GRAPH_SCHEMA_VERSION = "1.0"


class TaskType(StrEnum):
    GENERATE_CODE = "generate_code"
    ASSEMBLE = "assemble"
    VALIDATE = "validate"
    TEST = "test"
    PACKAGE = "package"
    DEPLOY = "deploy"


class Task(BaseModel):
    id: str = Field(description="Derived from content: type/component/requirement")
    type: TaskType
    title: str
    description: str
    component_id: str | None = None
    requirement_ids: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list, description="Files the task writes")
    level: int = Field(default=0, description="Topological level; 0 has no dependencies")
    parallel: bool = Field(default=False, description="May run beside the others of its level")


class Edge(BaseModel):
    """`target` depends on `source`: source must finish first."""

    source: str
    target: str


class Artifact(BaseModel):
    id: str
    kind: str = Field(description="source, test, module, report, package, deployment")
    path: str
    produced_by: str


class TaskGraph(BaseModel):
    schema_version: str = TASK_GRAPH_SCHEMA_VERSION
    spec_id: str
    template_id: str
    template_version: str
    requirement_ids: list[str]
    tasks: list[Task]
    edges: list[Edge]
    artifacts: list[Artifact]
    hash: str = Field(default="", description="sha256 of the canonical JSON without this field")

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(f"task {task_id!r} is not in the graph of {self.spec_id!r}")

    def parallel_groups(self) -> list[list[str]]:
        """Task IDs per topological level, each level's tasks free to run side by side."""
        levels: dict[int, list[str]] = {}
        for task in self.tasks:
            levels.setdefault(task.level, []).append(task.id)
        return [sorted(levels[level]) for level in sorted(levels)]


class TaskGraphError(ValueError):
    """A task graph that breaks an invariant; `problems` names each offending task."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listed = "\n".join(f"- {p}" for p in problems)
        super().__init__(f"task graph is invalid ({len(problems)} problems):\n{listed}")
