"""Technical plan builder and deterministic task graph (no Dagster, no Streamlit)."""

from agentops_pipelines.planning.builder import Enricher, build_plan
from agentops_pipelines.planning.cli import PlanResult, plan_spec
from agentops_pipelines.planning.exports import (
    graph_to_dot,
    graph_to_github_issues,
    graph_to_json,
    graph_to_markdown,
    plan_to_json,
    plan_to_markdown,
)
from agentops_pipelines.planning.graph_builder import build_task_graph
from agentops_pipelines.planning.graph_models import (
    Artifact,
    Edge,
    Task,
    TaskGraph,
    TaskGraphError,
    TaskType,
)
from agentops_pipelines.planning.models import PlanDraft, PlanInputError, PlanSection
from agentops_pipelines.planning.schema import task_graph_json_schema
from agentops_pipelines.planning.suggest import suggest_template
from agentops_pipelines.planning.template_registry import TEMPLATES
from agentops_pipelines.planning.validation import task_graph_problems, validate_task_graph

__all__ = [
    "TEMPLATES",
    "Artifact",
    "Edge",
    "Enricher",
    "PlanDraft",
    "PlanInputError",
    "PlanResult",
    "PlanSection",
    "Task",
    "TaskGraph",
    "TaskGraphError",
    "TaskType",
    "build_plan",
    "build_task_graph",
    "graph_to_dot",
    "graph_to_github_issues",
    "graph_to_json",
    "graph_to_markdown",
    "plan_spec",
    "plan_to_json",
    "plan_to_markdown",
    "suggest_template",
    "task_graph_json_schema",
    "task_graph_problems",
    "validate_task_graph",
]
