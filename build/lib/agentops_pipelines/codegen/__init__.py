"""Code generation per task of a task graph, through the LLM router, with code-intelligence
context, validated in an isolated workspace before anything is kept. No Dagster import."""

from agentops_pipelines.codegen.engine import CodegenOptions, generate_code
from agentops_pipelines.codegen.models import (
    CodegenUsage,
    FileChange,
    GeneratedCode,
    PatchProposal,
    TaskOutcome,
)
from agentops_pipelines.codegen.patching import PatchError, apply_proposal
from agentops_pipelines.codegen.skeleton import render_skeleton, skeleton_path

__all__ = [
    "CodegenOptions",
    "CodegenUsage",
    "FileChange",
    "GeneratedCode",
    "PatchError",
    "PatchProposal",
    "TaskOutcome",
    "apply_proposal",
    "generate_code",
    "render_skeleton",
    "skeleton_path",
]
