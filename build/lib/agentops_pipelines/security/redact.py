"""Redact secrets and personal data from text before it is stored, logged or sent to an LLM.

`redact(text)` replaces every finding by `[REDACTED:<KIND>]` and says how many of each kind it
found. It is idempotent: the passes are repeated until the text no longer changes, so a
redaction that exposes a new neighbour (two cards written back to back) is finished in the same
call, and redacting redacted text is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, Field, computed_field

from agentops_pipelines.security.credentials import (
    redact_api_keys,
    redact_private_keys,
    redact_url_credentials,
)
from agentops_pipelines.security.kinds import RedactionKind
from agentops_pipelines.security.payment_numbers import redact_cards, redact_ibans
from agentops_pipelines.security.pii import redact_emails, redact_phones

# Order matters: whole blocks and URL passwords first (they contain things that look like
# e-mails or keys), IBANs before cards (an IBAN's digits could pass Luhn), phones last.
_PASSES: tuple[tuple[RedactionKind, Callable[[str], tuple[str, int]]], ...] = (
    (RedactionKind.API_KEY, redact_private_keys),
    (RedactionKind.URL_CREDENTIALS, redact_url_credentials),
    (RedactionKind.API_KEY, redact_api_keys),
    (RedactionKind.EMAIL, redact_emails),
    (RedactionKind.IBAN, redact_ibans),
    (RedactionKind.CARD_NUMBER, redact_cards),
    (RedactionKind.PHONE, redact_phones),
)
_MAX_ROUNDS = 8


class Redaction(BaseModel):
    """Redacted text and what was removed from it (kinds with no finding are absent)."""

    text: str
    counts: dict[str, int] = Field(default_factory=dict, description="Findings per kind")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        return sum(self.counts.values())


def redact(text: str) -> Redaction:
    """Replace e-mails, phones, API keys and passwords, URL credentials, cards and IBANs."""
    counts: dict[str, int] = {}
    for _ in range(_MAX_ROUNDS):
        changed = False
        for kind, redact_pass in _PASSES:
            text, found = redact_pass(text)
            if found:
                counts[kind.value] = counts.get(kind.value, 0) + found
                changed = True
        if not changed:
            break
    return Redaction(text=text, counts=counts)
