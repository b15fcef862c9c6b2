"""Credentials: vendor keys, named secrets, auth headers, JWTs, PEM blocks, URL passwords."""

from __future__ import annotations

import pytest

from agentops_pipelines.security import redact

KEY = "[REDACTED:API_KEY]"

VENDOR_KEYS = [
    "sk-FAKE0123456789abcdefFAKE0123456789abcdef",  # OpenAI legacy
    "sk-proj-FAKEfake0123456789abcdefFAKE_fake-0123",  # OpenAI project
    "sk-ant-api03-FAKEfake0123456789abcdefFAKEfake-0123AA",  # Anthropic
    "sk_live_FAKE0123456789abcdefFAKE",  # Stripe
    "sk_test_FAKE0123456789abcdefFAKE",
    "rk_live_FAKE0123456789abcdefFAKE",
    "whsec_FAKE0123456789abcdefFAKE0123",
    "ghp_FAKE0123456789abcdefFAKE0123456789ab",  # GitHub
    "gho_FAKE0123456789abcdefFAKE0123456789ab",
    "ghu_FAKE0123456789abcdefFAKE0123456789ab",
    "ghs_FAKE0123456789abcdefFAKE0123456789ab",
    "github_pat_11FAKE0123456789abcdef_FAKE0123456789abcdefFAKE0123456789",
    "xoxb-123456789012-1234567890123-FAKEfakeFAKEfake",  # Slack
    "xoxp-123456789012-FAKE",
    "AKIAIOSFODNN7EXAMPLE",  # AWS's documented example id
    "AIzaSyFAKE0123456789abcdefFAKE012345678",  # Google
    # JWT (header {"alg":"HS256"}, payload {"sub":"1234567890"}, fake signature)
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.FAKEsignature0123456789_-abc",
]


@pytest.mark.parametrize("key", VENDOR_KEYS)
def test_vendor_key_in_prose_is_redacted(key: str) -> None:
    result = redact(f"Use the key {key} for the staging account.")

    assert result.text == f"Use the key {KEY} for the staging account."
    assert result.counts == {"api_key": 1}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('MISTRAL_API_KEY="Fk3nQ9vB2xR7tY1uW5zA8cD4eG6hJ0mL"', f'MISTRAL_API_KEY="{KEY}"'),
        ("api_key = 'Fk3nQ9vB2xR7tY1uW5zA8cD4eG6hJ0mL'", f"api_key = '{KEY}'"),
        ('{"apiKey": "0123456789abcdef0123"}', f'{{"apiKey": "{KEY}"}}'),
        ("token: c29tZS1mYWtlLXRva2VuLTEyMw", f"token: {KEY}"),
        ("password=hunter2", f"password={KEY}"),
        ("DB_PASSWORD=correcthorse", f"DB_PASSWORD={KEY}"),
        ("secret: Zx9yW8vU7tS6", f"secret: {KEY}"),
        ("client_secret => 'abcd-1234-efgh'", f"client_secret => '{KEY}'"),
        (
            "https://api.example.com/v1?token=Zx9yW8vU7tS6&page=2",
            f"https://api.example.com/v1?token={KEY}&page=2",
        ),
        ("Authorization: Bearer abcdef0123456789", f"Authorization: Bearer {KEY}"),
        ("authorization: Basic dXNlcjpwYXNzd29yZA==", f"authorization: Basic {KEY}"),
        (
            "curl -H 'Authorization: token Zx9yW8vU7tS6' url",
            f"curl -H 'Authorization: token {KEY}' url",
        ),
        ("send Bearer Zx9yW8vU7tS6Zx9yW8vU7tS6 upstream", f"send Bearer {KEY} upstream"),
    ],
)
def test_named_secret_value_is_redacted_and_name_kept(line: str, expected: str) -> None:
    result = redact(line)

    assert result.text == expected
    assert result.counts == {"api_key": 1}


@pytest.mark.parametrize(
    "line",
    [
        "Password: at least 12 characters, one digit.",
        "token: refreshed every 15 minutes",
        "secret: rotated by the platform team",
        "The API key is sent in the `X-Api-Key` header.",
        "api_key=settings.openai_api_key",
        "client = OpenAI(api_key=api_key)",
        "api_key=os.environ['OPENAI_API_KEY']",
        "OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}",
        "password=$DB_PASSWORD",
        "token = <your token here>",
        "Authorization: Bearer <token>",
        "Authorization header: required on every endpoint",
        "Bearer token authentication is used for the API.",
        "max_tokens: 4096",
        "token_budget: 5000",
        "The risk-based-prioritisation-of-requirements is agreed.",
        "pass: 5 of 6 scenarios",
    ],
)
def test_secret_words_in_ordinary_text_are_kept(line: str) -> None:
    assert redact(line).text == line


def test_pem_private_key_block_is_redacted_whole() -> None:
    pem = "\n".join(
        [
            "-----BEGIN RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEAFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE",
            "FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE+/user@example.com==",
            "-----END RSA PRIVATE KEY-----",
        ]
    )
    result = redact(f"Deploy key:\n{pem}\nDone.")

    assert result.text == f"Deploy key:\n{KEY}\nDone."
    assert result.counts == {"api_key": 1}


def test_unterminated_private_key_is_redacted_to_the_end() -> None:
    result = redact("key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA")

    assert result.text == f"key:\n{KEY}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://alice:s3cr3t@git.example.com/repo.git",
            "https://[REDACTED:URL_CREDENTIALS]@git.example.com/repo.git",
        ),
        (
            "postgresql://agentops:pa55word@db.internal:5432/app",
            "postgresql://[REDACTED:URL_CREDENTIALS]@db.internal:5432/app",
        ),
        ("redis://:FAKEpass123@cache:6379/0", "redis://[REDACTED:URL_CREDENTIALS]@cache:6379/0"),
    ],
)
def test_url_credentials_are_redacted_and_host_kept(url: str, expected: str) -> None:
    result = redact(f"connect to {url} now")

    assert result.text == f"connect to {expected} now"
    assert result.counts == {"url_credentials": 1}


def test_key_assigned_to_a_vendor_key_is_counted_once() -> None:
    result = redact('OPENAI_API_KEY="sk-proj-FAKEfake0123456789abcdefFAKE"')

    assert result.text == f'OPENAI_API_KEY="{KEY}"'
    assert result.counts == {"api_key": 1}
    assert result.total == 1
