"""Pluggable alert notifiers: SMTP (smtplib) and a generic JSON webhook (httpx).

Configured from the environment so secrets stay out of files and metadata:
AGENTOPS_ALERT_SMTP_HOST / _PORT / _FROM / _TO (comma separated) / _USERNAME / _PASSWORD /
_STARTTLS, and AGENTOPS_ALERT_WEBHOOK_URL (+ optional AGENTOPS_ALERT_WEBHOOK_TOKEN, sent as a
Bearer token). No variable set means no notifier: alerts still show as failed asset checks.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Protocol

import httpx
from pydantic import SecretStr

from agentops_pipelines.alerts.evaluate import AlertOutcome
from agentops_pipelines.observability import correlation_id
from agentops_pipelines.security import redact
from agentops_pipelines.settings import AlertSettings, settings_for


class Notifier(Protocol):
    name: str

    def send(self, outcome: AlertOutcome) -> None: ...


class SmtpNotifier:
    name = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        recipients: list[str],
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout_s: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender, self.recipients = host, port, sender, recipients
        self.username, self.password, self.starttls = username, password, starttls
        self.timeout_s = timeout_s

    def send(self, outcome: AlertOutcome) -> None:
        message = EmailMessage()
        message["Subject"] = f"[AgentOps {outcome.severity.upper()}] {outcome.rule}"
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message.set_content(f"{outcome.summary()}\n\ncorrelation id: {correlation_id() or '-'}\n")
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as client:
            if self.starttls:
                client.starttls()
            if self.username and self.password:
                client.login(self.username, self.password)
            client.send_message(message)


class WebhookNotifier:
    name = "webhook"

    def __init__(self, url: str, token: str | None = None, timeout_s: float = 10.0) -> None:
        self.url, self.token, self.timeout_s = url, token, timeout_s

    def send(self, outcome: AlertOutcome) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        body = {
            **outcome.model_dump(),
            "summary": outcome.summary(),
            "correlation_id": correlation_id(),
        }
        response = httpx.post(self.url, json=body, headers=headers, timeout=self.timeout_s)
        response.raise_for_status()


def notifiers_from_env(env: dict[str, str] | None = None) -> list[Notifier]:
    return notifiers_from_settings(settings_for(env).alerts)


def notifiers_from_settings(alerts: AlertSettings) -> list[Notifier]:
    notifiers: list[Notifier] = []
    if alerts.smtp_host:
        notifiers.append(
            SmtpNotifier(
                host=alerts.smtp_host,
                port=alerts.smtp_port,
                sender=alerts.smtp_from,
                recipients=list(alerts.smtp_to) or ["root@localhost"],
                username=alerts.smtp_username,
                password=_plain(alerts.smtp_password),
                starttls=alerts.smtp_starttls,
            )
        )
    if alerts.webhook_url:
        notifiers.append(WebhookNotifier(alerts.webhook_url, token=_plain(alerts.webhook_token)))
    return notifiers


def _plain(secret: SecretStr | None) -> str | None:
    return secret.get_secret_value() if secret is not None else None


def send_all(outcome: AlertOutcome, notifiers: list[Notifier]) -> dict[str, str]:
    """Send through every notifier; one failing channel does not stop the others. Returns
    channel -> 'sent' or the (redacted) error, for the check's metadata."""
    status: dict[str, str] = {}
    for notifier in notifiers:
        channel = notifier.name if notifier.name not in status else f"{notifier.name}#{len(status)}"
        try:
            notifier.send(outcome)
            status[channel] = "sent"
        except (OSError, smtplib.SMTPException, httpx.HTTPError) as exc:
            status[channel] = redact(f"failed: {type(exc).__name__}: {exc}").text
    return status
