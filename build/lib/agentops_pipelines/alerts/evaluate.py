"""Evaluate one alert rule over its mart (read-only). Windows end at the mart's latest day, so a
rule judges the most recent data whatever the clock says."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.alerts.rules import AlertRule, RuleKind
from agentops_pipelines.warehouse.duck import read_only, table_exists

# kind -> (date column, group column, numerator, denominator, breach when ratio is above?)
_RATIO_QUERIES: dict[RuleKind, tuple[str, str, str, str, bool]] = {
    RuleKind.PROVIDER_ERROR_RATE: ("call_date", "provider", "errors", "attempts", True),
    RuleKind.RETRIEVAL_FAILURE_RATE: ("query_date", "backend", "failures", "queries", True),
    RuleKind.WORKFLOW_FAILURE_RATE: ("run_date", "job_name", "failed", "finished", True),
    RuleKind.SUGGESTION_ACCEPTANCE_BELOW: ("day", "feature", "accepted", "decided", False),
}


class AlertOutcome(BaseModel):
    rule: str
    passed: bool
    severity: str
    threshold: float
    breaches: dict[str, float] = Field(default_factory=dict)  # group -> observed value
    note: str = ""

    def summary(self) -> str:
        if self.passed:
            return f"{self.rule}: ok ({self.note})" if self.note else f"{self.rule}: ok"
        worst = ", ".join(f"{k}={v:.3f}" for k, v in sorted(self.breaches.items()))
        return f"{self.rule}: threshold {self.threshold} breached by {worst}"


def _ratio_breaches(conn, rule: AlertRule) -> dict[str, float]:
    day, group, num, den, above = _RATIO_QUERIES[rule.kind]
    compare = ">" if above else "<"
    rows = conn.execute(
        f'with latest as (select max("{day}") as d from main."{rule.mart}"), '
        f'windowed as (select "{group}" as g, sum("{num}") as n, sum("{den}") as total '
        f'from main."{rule.mart}", latest where "{day}" > latest.d - ?::integer group by 1) '
        f"select g, n / total from windowed where total >= ? and n / total {compare} ?",
        [rule.window_days, rule.min_volume, rule.threshold],
    ).fetchall()
    return {str(g): float(v) for g, v in rows}


def _budget_breaches(conn, rule: AlertRule) -> dict[str, float]:
    rows = conn.execute(
        "select workspace, arg_max(pct_used, call_date) from main.fct_budget_burndown "
        "where pct_used is not null group by workspace having arg_max(pct_used, call_date) >= ?",
        [rule.threshold],
    ).fetchall()
    return {str(w): float(v) for w, v in rows}


def evaluate_rule(rule: AlertRule, warehouse: Path) -> AlertOutcome:
    outcome = AlertOutcome(
        rule=rule.name, passed=True, severity=rule.severity, threshold=rule.threshold
    )
    if not warehouse.exists():
        outcome.note = f"warehouse {warehouse} does not exist yet"
        return outcome
    with read_only(warehouse) as conn:
        if not table_exists(conn, "main", rule.mart):
            outcome.note = f"mart {rule.mart} is not built (its source has not landed)"
            return outcome
        if rule.kind is RuleKind.BUDGET_USED:
            outcome.breaches = _budget_breaches(conn, rule)
        else:
            outcome.breaches = _ratio_breaches(conn, rule)
    outcome.passed = not outcome.breaches
    return outcome
