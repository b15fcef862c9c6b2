"""Property tests: redact never raises and is idempotent on arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_pipelines.security import redact

# Fragments that sit near the detectors' edges, mixed with arbitrary text.
_FRAGMENTS = st.sampled_from(
    [
        "4242 4242 4242 4242",
        "5555555555554444",
        "GB82 WEST 1234 5698 7654 32",
        "DE89370400440532013000",
        "+44 20 7946 0958",
        "415-555-2671",
        "alice@example.com",
        "password=hunter2",
        'token: "abc"',
        "Authorization: Bearer ",
        "sk-proj-FAKEfake0123456789abcdefFAKE",
        "https://u:p@h",
        "-----BEGIN PRIVATE KEY-----",
        "[REDACTED:EMAIL]",
        " ",
        "-",
        "\n",
        "0",
        "@",
        ":",
        "=",
        "'",
    ]
)
_TEXT = st.lists(st.one_of(st.text(max_size=20), _FRAGMENTS), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_redact_never_raises_and_is_idempotent(text: str) -> None:
    once = redact(text)
    twice = redact(once.text)

    assert twice.text == once.text
    assert twice.total == 0
    assert once.total == sum(once.counts.values())


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_redact_is_idempotent_on_unicode_text(text: str) -> None:
    once = redact(text)
    assert redact(once.text).text == once.text
