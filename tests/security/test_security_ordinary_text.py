"""Ordinary spec text must come out unchanged, and redaction must be idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.security import redact

ORDINARY_LINES = [
    "FR-001: The system MUST export invoices as PDF.",
    "REQ-12, SC-003 and NFR-1024 are covered by T-0042.",
    "Upgrade dagster from 1.13.27 to 1.14.0; Python 3.11.7.",
    "Release v2.10.3-rc.1 ships on 2026-01-15.",
    "Deadline: 15/01/2026, 01.02.2026 or Jan 15, 2026 at 10:30.",
    "Logged at 2026-11-23T20:59:48Z and 2026-11-23T21:00:00.123+01:00.",
    "Epoch 1700000000 and 1700000000000 ms.",
    "Return HTTP 429 with Retry-After; HTTP 503 on overload; 200 OK otherwise.",
    "PostgreSQL listens on port 5432, Redis on 6379, the API on 127.0.0.1:8000.",
    "p99 < 60 ms, p50 under 500 ms, timeout 30000, limit 1000000.",
    "Pricing: $39/month, EUR 1,299.00 per year, 10,000 requests per day.",
    "Budget of 2 500 000 tokens per month; 1 000 000 requests max.",
    "Request id 123e4567-e89b-12d3-a456-426614174000 is stable.",
    "Digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.",
    "Commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it.",
    "See https://docs.example.com/v1/specs?page=2&limit=50#section-3.",
    "Clone https://github.com/acme/agentops.git and open docs/specs/billing/spec.md.",
    "Edit /etc/agentops/config.yaml or C:\\Users\\dev\\agentops\\config.toml.",
    "Run `pytest -k test_invoice -x` and `npm test` until tests pass: all green.",
    "Coverage must stay >= 85% and the error rate < 0.1%.",
    "Retry 3 times with backoff 1s, 2s, 4s (max 30 s).",
    "ISBN 978-3-16-148410-0 and ISO 8601 and RFC 7231 apply.",
    "Screen size 1920x1080, 4K, 60 fps.",
    "Version range >=2.7,<3 and ~=1.4.2.",
    "The user enters a password; the password must be 12+ characters.",
    "Store the token in an HttpOnly cookie; rotate the secret yearly.",
    "Amount 4,242.42 EUR was refunded on order 20260115-0042.",
    "IP 192.168.100.200 and 10.0.0.1/24, MAC 00:1B:44:11:3A:B7.",
    "Order #100234 and invoice INV-2026-000123 are linked.",
    "WHEN the user clicks Save THE SYSTEM SHALL persist the draft within 2 seconds.",
    "| FR-002 | P1 | 2026-02-01 | 99.9% uptime |",
    "Given 3 items in the cart, When checkout, Then total = 59.97.",
]


@pytest.mark.parametrize("line", ORDINARY_LINES)
def test_ordinary_spec_line_is_unchanged(line: str) -> None:
    result = redact(line)

    assert result.text == line
    assert result.total == 0


def test_whole_ordinary_document_is_unchanged() -> None:
    document = "\n".join(ORDINARY_LINES)
    assert redact(document).text == document


def test_real_specs_are_left_alone_except_real_findings(shared_data: Path) -> None:
    """3 MB of real specs written elsewhere: only the real e-mail and password are redacted."""
    changed: dict[str, dict[str, int]] = {}
    for path in sorted((shared_data / "specs").rglob("*.md")):
        result = redact(path.read_text(encoding="utf-8", errors="replace"))
        if result.total:
            changed[path.relative_to(shared_data / "specs").as_posix()] = result.counts

    assert changed == {
        "kiro-spec-engine-sce/.sce/specs/13-00-devops-integration-foundation/design.md": {
            "email": 1
        },
        # a JSON example with a literal password: redacting it is the point
        "kiro-spec-engine-sce/.sce/specs/90-00-moqui-erp-adapter/design.md": {"api_key": 1},
    }


def test_redacting_redacted_text_changes_nothing() -> None:
    text = (
        "alice@example.com +44 20 7946 0958 4242 4242 4242 4242 GB82 WEST 1234 5698 7654 32\n"
        "password=hunter2 https://bob:s3cr3t@example.com Authorization: Bearer abcdef0123456789\n"
        "sk-proj-FAKEfake0123456789abcdefFAKE 4242424242424242 5555555555554444\n"
    )
    once = redact(text)
    twice = redact(once.text)

    assert once.total == 10
    assert twice.text == once.text
    assert twice.total == 0
