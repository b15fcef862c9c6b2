"""Code intelligence for a linked repository: symbols, imports, a file dependency graph cached by
file hash, and a context builder that picks the files relevant to a task within a token budget.
Python through `ast`, TypeScript/JavaScript through tree-sitter. No Dagster import."""

from agentops_pipelines.codeintel.context import CodeContext, ContextFile, build_context
from agentops_pipelines.codeintel.index import analyse_file, build_index, language_of
from agentops_pipelines.codeintel.models import CodeIndex, FileInfo, ImportRef, Symbol
from agentops_pipelines.codeintel.tokens import approx_tokens

__all__ = [
    "CodeContext",
    "CodeIndex",
    "ContextFile",
    "FileInfo",
    "ImportRef",
    "Symbol",
    "analyse_file",
    "approx_tokens",
    "build_context",
    "build_index",
    "language_of",
]
