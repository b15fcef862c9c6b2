"""Plan prose enrichment through the LLM router: the `enrich` hook of `build_plan`.

The planning engine stays the primary path; a model only rewrites a section's prose. The router
is passed in (no provider import here), and a draft is kept whenever the answer is not a real
model's: the offline provider, a review-queue escalation or an empty answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

SYSTEM = (
    "You improve one section of a software technical plan. Keep every requirement ID and every "
    "fact; make the prose clearer and more specific. Answer as JSON with a single field 'text'."
)


class EnrichedSection(BaseModel):
    text: str = Field(min_length=1)


def router_enricher(router: Any, spec_id: str, run_id: str | None) -> Callable[[str, str], str]:
    """Wrap a router as the (section name, draft) -> text hook that `build_plan` accepts."""
    from agentops_pipelines.llm import LLMRequest, TaskType
    from agentops_pipelines.llm.models import Message

    def enrich(section: str, draft: str) -> str:
        result = router.complete(
            LLMRequest(
                task_type=TaskType.PLAN,
                messages=[
                    Message(role="system", content=SYSTEM),
                    Message(role="user", content=f"Section: {section}\n\n{draft}"),
                ],
                spec=spec_id,
                run_id=run_id,
                output_schema=EnrichedSection,
            )
        )
        text = (result.data or {}).get("text", "") if result.status == "answered" else ""
        if result.provider in (None, "offline") or len(text.strip()) < len(draft) // 4:
            return draft
        return text

    return enrich
