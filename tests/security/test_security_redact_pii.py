"""Personal data: e-mails, phones, Luhn-valid cards, mod-97-valid IBANs; look-alikes are kept."""

from __future__ import annotations

import pytest

from agentops_pipelines.security import Redaction, redact


@pytest.mark.parametrize(
    "email",
    [
        "alice@example.com",
        "bob.smith+specs@mail.example.co.uk",
        "ops_team-2@example.org",
        "jürgen.müller@example.de",
        "user@例え.jp",
    ],
)
def test_email_is_redacted(email: str) -> None:
    result = redact(f"Owner: {email}.")

    assert result.text == "Owner: [REDACTED:EMAIL]."
    assert result.counts == {"email": 1}


@pytest.mark.parametrize(
    "line",
    [
        "git clone git@github.com:acme/specs.git",
        "pin requests@2.31.0 in the lock file",
        "see https://alice@example.com/profile",
        "decorate with @dg.asset and @pytest.fixture",
    ],
)
def test_email_look_alikes_are_kept(line: str) -> None:
    assert redact(line).text == line


@pytest.mark.parametrize(
    "phone",
    [
        "+1 415-555-2671",
        "+1 (415) 555-2671",
        "+44 20 7946 0958",
        "+33 1 23 45 67 89",
        "+4915112345678",
        "(415) 555-2671",
        "415-555-2671",
        "415.555.2671",
        "1-800-555-0199",
        "020 7946 0958",
        "06 12 34 56 78",
        "030 12345678",
    ],
)
def test_phone_is_redacted(phone: str) -> None:
    result = redact(f"Call {phone} for support.")

    assert result.text == "Call [REDACTED:PHONE] for support."
    assert result.counts == {"phone": 1}


@pytest.mark.parametrize(
    "card",
    [
        "4242 4242 4242 4242",
        "4242-4242-4242-4242",
        "5555555555554444",
        "3782 822463 10005",  # Amex, 15 digits
        "4000 0566 5566 5556",
    ],
)
def test_luhn_valid_card_is_redacted(card: str) -> None:
    result = redact(f"Paid with {card} yesterday.")

    assert result.text == "Paid with [REDACTED:CARD_NUMBER] yesterday."
    assert result.counts == {"card_number": 1}


@pytest.mark.parametrize(
    "number",
    ["4242 4242 4242 4241", "5555555555554445", "1234 5678 9012 3456", "1700000000000"],
)
def test_luhn_invalid_card_look_alike_is_kept(number: str) -> None:
    line = f"Reference {number} in the ledger."
    assert redact(line).text == line


def test_card_followed_by_expiry_is_still_found() -> None:
    result = redact("card 4242 4242 4242 4242 12/29 cvc 123")

    assert result.text == "card [REDACTED:CARD_NUMBER] 12/29 cvc 123"


def test_two_cards_back_to_back_are_both_found_in_one_call() -> None:
    result = redact("4242424242424242 5555555555554444")

    assert result.text == "[REDACTED:CARD_NUMBER] [REDACTED:CARD_NUMBER]"
    assert result.counts == {"card_number": 2}


@pytest.mark.parametrize(
    "iban",
    [
        "GB82 WEST 1234 5698 7654 32",
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        "FR14 2004 1010 0505 0001 3M02 606",
        "NL91 ABNA 0417 1643 00",
    ],
)
def test_mod97_valid_iban_is_redacted(iban: str) -> None:
    result = redact(f"Pay to {iban} Thanks")

    assert result.text == "Pay to [REDACTED:IBAN] Thanks"
    assert result.counts == {"iban": 1}


@pytest.mark.parametrize(
    "number",
    ["GB82 WEST 1234 5698 7654 33", "DE89 3704 0044 0532 0130 01", "DE00370400440532013000"],
)
def test_mod97_invalid_iban_look_alike_is_kept(number: str) -> None:
    line = f"Pay to {number} Thanks"
    assert redact(line).text == line


def test_counts_are_exact_across_kinds() -> None:
    text = (
        "Contacts: alice@example.com, bob@example.org, +44 20 7946 0958.\n"
        "Card 4242 4242 4242 4242, IBAN DE89 3704 0044 0532 0130 00.\n"
        "OPENAI_API_KEY=sk-proj-FAKEfake0123456789abcdefFAKE and password=hunter2\n"
    )
    result = redact(text)

    assert result.counts == {"email": 2, "phone": 1, "card_number": 1, "iban": 1, "api_key": 2}
    assert result.total == 7
    assert "alice" not in result.text and "hunter2" not in result.text
    assert result.text.startswith("Contacts: [REDACTED:EMAIL], [REDACTED:EMAIL], [REDACTED:PHONE].")


def test_redaction_round_trips_as_json_with_total() -> None:
    result = redact("mail alice@example.com")
    dumped = result.model_dump()

    assert dumped == {"text": "mail [REDACTED:EMAIL]", "counts": {"email": 1}, "total": 1}
    assert Redaction.model_validate(dumped) == result


def test_card_right_after_an_iban_is_found() -> None:
    result = redact("DE89 3704 0044 0532 0130 00 4242 4242 4242 4242")

    assert result.text == "[REDACTED:IBAN] [REDACTED:CARD_NUMBER]"
    assert result.counts == {"iban": 1, "card_number": 1}


def test_digits_of_an_invalid_iban_are_not_read_as_card_or_phone() -> None:
    line = "Pay to DE89 3704 0044 0532 0130 01 Thanks"  # the digit tail passes Luhn
    assert redact(line).text == line


def test_single_digit_groups_are_not_a_card() -> None:
    line = "Scores 4 2 4 2 4 2 4 2 4 2 4 2 4 2 4 2 recorded."
    assert redact(line).text == line


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("4242 4242 4242 4242 " * 30, {"card_number": 30}),
        ("+44 20 7946 0958 " * 30, {"phone": 30}),
        ("GB82 WEST 1234 5698 7654 32 " * 30, {"iban": 30}),
        ("alice@example.com " * 30, {"email": 30}),
        # a national number right after another number and a space reads as the tail of one
        # long sequence: only the first is found, and a second pass finds nothing more
        ("415-555-2671 " * 30, {"phone": 1}),
    ],
)
def test_long_repetitions_reach_a_stable_result(text: str, counts: dict[str, int]) -> None:
    once = redact(text)

    assert once.counts == counts
    assert redact(once.text).text == once.text
