"""The LLM router: every model call in AgentOps goes through `Router` (no other module imports a
provider SDK). Routing, fallback, retries, circuit breaking, caching, budgets and the cost ledger
live here, with no Dagster import."""

from agentops_pipelines.llm.errors import BudgetExceededError, LLMConfigError, ProviderCallError
from agentops_pipelines.llm.models import LLMRequest, LLMResult, Message, TaskType
from agentops_pipelines.llm.router import Router, build_router

__all__ = [
    "BudgetExceededError",
    "LLMConfigError",
    "LLMRequest",
    "LLMResult",
    "Message",
    "ProviderCallError",
    "Router",
    "TaskType",
    "build_router",
]
