"""Optional model review of a requirement's ambiguity, through the router (task `review`).

The model sees the rule findings and may add smells the lexicon cannot see; each comment must
name a known smell or it is ignored. Without a provider this adds nothing (rules only).
"""

from __future__ import annotations

import re
from functools import lru_cache

from agentops_pipelines.assistant.ambiguity import ARTA_SMELLS, SmellFinding, lexical_smells
from agentops_pipelines.assistant.prompts import render
from agentops_pipelines.assistant.suggest import model_enabled
from agentops_pipelines.llm import LLMRequest, Message, Router, TaskType
from agentops_pipelines.security import redact

_COMMENT = re.compile(
    r"^\s*(?P<smell>[a-z_]+)\s*:\s*(?P<words>[^>]*?)\s*(?:->\s*(?P<rewrite>.*))?$"
)


def model_findings(text: str, router: Router, workspace: str = "default") -> list[SmellFinding]:
    """Smells the model reports for `text` (source='model'); empty without a provider."""
    if not model_enabled(router):
        return []
    rules = lexical_smells(text, ARTA_SMELLS)
    prompt = render("ambiguity_review", text=text, smells=list(ARTA_SMELLS), rule_findings=rules)
    result = router.complete(
        LLMRequest(
            task_type=TaskType.REVIEW,
            messages=[Message(role="user", content=redact(prompt.text).text)],
            workspace=workspace,
        )
    )
    findings = []
    for comment in (result.data or {}).get("comments", []):
        match = _COMMENT.match(str(comment))
        if not match or match["smell"] not in ARTA_SMELLS:
            continue
        words = [w.strip() for w in re.split(r"[/,]", match["words"]) if w.strip()]
        start = text.lower().find(words[0].lower()) if words else -1
        findings.append(
            SmellFinding(
                smell=match["smell"],
                trigger_words=words,
                span=(start, start + len(words[0])) if start >= 0 else (0, 0),
                suggested_rewrite=(match["rewrite"] or "").strip() or "Rewrite precisely.",
                source="model",
            )
        )
    return findings


@lru_cache(maxsize=1)
def _env_router() -> Router:
    from agentops_pipelines.llm.router import router_from_settings
    from agentops_pipelines.settings import get_settings

    return router_from_settings(get_settings())


def model_smells_present(text: str) -> set[str]:
    """Rules plus the model review (the benchmark's --with-model detector)."""
    rules = {f.smell for f in lexical_smells(text, ARTA_SMELLS)}
    return rules | {f.smell for f in model_findings(text, _env_router())}
