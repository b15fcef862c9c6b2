"""KPI alerts: rules from a YAML file, evaluated over the marts, sent through notifiers."""

from agentops_pipelines.alerts.evaluate import AlertOutcome, evaluate_rule
from agentops_pipelines.alerts.notify import (
    Notifier,
    SmtpNotifier,
    WebhookNotifier,
    notifiers_from_env,
    send_all,
)
from agentops_pipelines.alerts.rules import DEFAULT_RULES_PATH, AlertRule, load_rules

__all__ = [
    "DEFAULT_RULES_PATH",
    "AlertOutcome",
    "AlertRule",
    "Notifier",
    "SmtpNotifier",
    "WebhookNotifier",
    "evaluate_rule",
    "load_rules",
    "notifiers_from_env",
    "send_all",
]
