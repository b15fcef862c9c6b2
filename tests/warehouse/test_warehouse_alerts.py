"""Alert rules: file validation, evaluation over built marts, SMTP and webhook delivery to real
listeners on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from warehouse_build import BuiltWarehouse
from warehouse_listeners import SmtpListener, WebhookListener

from agentops_pipelines.alerts import (
    AlertRule,
    SmtpNotifier,
    WebhookNotifier,
    evaluate_rule,
    load_rules,
    notifiers_from_env,
    send_all,
)
from agentops_pipelines.alerts.evaluate import AlertOutcome
from agentops_pipelines.alerts.rules import AlertRulesError

BREACH = AlertOutcome(
    rule="budget_over_80pct", passed=False, severity="warn", threshold=0.8, breaches={"acme": 0.9}
)


def test_warehouse_alert_rules_file_loads_and_rejects_bad_entries(tmp_path: Path) -> None:
    kinds = {r.kind.value for r in load_rules()}
    assert {"budget_used", "provider_error_rate", "retrieval_failure_rate"} <= kinds
    assert {"workflow_failure_rate", "suggestion_acceptance_below"} <= kinds
    bad = tmp_path / "alerts.yaml"
    bad.write_text("rules:\n  - name: x\n    kind: moon_phase\n    threshold: 1\n")
    with pytest.raises(AlertRulesError, match=r"rules\.0\.kind"):
        load_rules(bad)
    bad.write_text(
        "rules:\n  - {name: a, kind: budget_used, threshold: 1}\n"
        "  - {name: a, kind: budget_used, threshold: 2}\n"
    )
    with pytest.raises(AlertRulesError, match="duplicate"):
        load_rules(bad)


def test_warehouse_alert_evaluation_on_marts(built_warehouse: BuiltWarehouse) -> None:
    path = built_warehouse.path
    provider = AlertRule(name="p", kind="provider_error_rate", threshold=0.5, min_volume=1)
    outcome = evaluate_rule(provider, path)
    assert not outcome.passed and outcome.breaches == {"mistral": 1.0}
    strict = provider.model_copy(update={"min_volume": 5})
    assert evaluate_rule(strict, path).passed  # one call is too few to judge
    rag = AlertRule(name="r", kind="retrieval_failure_rate", threshold=0.4, min_volume=2)
    assert evaluate_rule(rag, path).breaches == {"embedded": 0.5}
    low = AlertRule(name="s", kind="suggestion_acceptance_below", threshold=0.3)
    assert evaluate_rule(low, path).passed  # built, but no suggestion was decided yet
    missing = evaluate_rule(provider, path.parent / "nope.duckdb")
    assert missing.passed and "does not exist" in missing.note


def test_warehouse_alert_on_unbuilt_mart(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    rule = AlertRule(name="s", kind="suggestion_acceptance_below", threshold=0.3)
    result = evaluate_rule(rule, empty)
    assert result.passed and "not built" in result.note


def test_warehouse_alert_smtp_to_local_server() -> None:
    with SmtpListener() as smtp:
        notifiers = notifiers_from_env(
            {
                "AGENTOPS_ALERT_SMTP_HOST": "127.0.0.1",
                "AGENTOPS_ALERT_SMTP_PORT": str(smtp.port),
                "AGENTOPS_ALERT_SMTP_TO": "ops@example.test, lead@example.test",
            }
        )
        assert [type(n) for n in notifiers] == [SmtpNotifier]
        assert send_all(BREACH, notifiers) == {"smtp": "sent"}
    message = smtp.messages[0]
    assert message["Subject"] == "[AgentOps WARN] budget_over_80pct"
    assert message["To"] == "ops@example.test, lead@example.test"
    assert "acme=0.900" in message.get_payload()


def test_warehouse_alert_webhook_to_local_listener() -> None:
    with WebhookListener() as hook:
        notifier = WebhookNotifier(hook.url, token="sk-proj-abcdefghijklmnopqrstuvwx")
        assert send_all(BREACH, [notifier]) == {"webhook": "sent"}
    headers, body = hook.received[0]
    assert headers["Authorization"] == "Bearer sk-proj-abcdefghijklmnopqrstuvwx"
    assert body["rule"] == "budget_over_80pct" and body["breaches"] == {"acme": 0.9}


def test_warehouse_alert_failing_channel_does_not_stop_others() -> None:
    with WebhookListener() as hook:
        dead = WebhookNotifier("http://127.0.0.1:9/closed")  # discard port: refused
        status = send_all(BREACH, [dead, WebhookNotifier(hook.url)])
    assert status["webhook"].startswith("failed: ConnectError")
    assert status["webhook#1"] == "sent"
    assert len(hook.received) == 1
