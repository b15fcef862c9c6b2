"""Alert rules file (`config/alerts.yaml`): validated once, with errors that name the rule."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from agentops_pipelines.settings import PROJECT_ROOT, get_settings

DEFAULT_RULES_PATH = PROJECT_ROOT / "config" / "alerts.yaml"


class RuleKind(StrEnum):
    BUDGET_USED = "budget_used"
    PROVIDER_ERROR_RATE = "provider_error_rate"
    RETRIEVAL_FAILURE_RATE = "retrieval_failure_rate"
    WORKFLOW_FAILURE_RATE = "workflow_failure_rate"
    SUGGESTION_ACCEPTANCE_BELOW = "suggestion_acceptance_below"


# The mart each kind reads; the alert runs as an asset check on that mart's asset.
MART_OF_KIND: dict[RuleKind, str] = {
    RuleKind.BUDGET_USED: "fct_budget_burndown",
    RuleKind.PROVIDER_ERROR_RATE: "fct_provider_health_daily",
    RuleKind.RETRIEVAL_FAILURE_RATE: "fct_rag_daily",
    RuleKind.WORKFLOW_FAILURE_RATE: "fct_workflow_daily",
    RuleKind.SUGGESTION_ACCEPTANCE_BELOW: "fct_suggestion_acceptance",
}


class AlertRule(BaseModel):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: RuleKind
    threshold: float = Field(ge=0)
    window_days: int = Field(default=1, ge=1, le=366)
    min_volume: int = Field(default=1, ge=1)
    severity: Literal["warn", "error"] = "warn"
    description: str = ""

    @property
    def mart(self) -> str:
        return MART_OF_KIND[self.kind]


class RulesFile(BaseModel):
    rules: list[AlertRule]


class AlertRulesError(ValueError):
    """The rules file is missing or invalid; the message names the file and the bad entry."""


def rules_path() -> Path:
    return get_settings().alerts.rules


def load_rules(path: Path | None = None) -> list[AlertRule]:
    source = path or rules_path()
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise AlertRulesError(
            f"alert rules file {source} cannot be read ({exc}); create it or point "
            "AGENTOPS_ALERTS_FILE at one (see config/alerts.yaml)"
        ) from exc
    try:
        rules = RulesFile.model_validate(raw).rules
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AlertRulesError(
            f"alert rules file {source}: {where}: {first['msg']}; fix that entry "
            f"(kinds: {', '.join(k.value for k in RuleKind)})"
        ) from exc
    names = [r.name for r in rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise AlertRulesError(
            f"alert rules file {source}: duplicate rule names {duplicates}; names must be unique"
        )
    return rules
