"""Detectors for credentials: private keys, URL passwords, auth headers, vendor keys, JWTs.

Each detector takes text and returns `(redacted_text, findings)`. Vendor formats are matched by
their documented prefixes; keys without one are caught by `named_secrets` where the text names
them (`api_key=`, `password:`).
"""

from __future__ import annotations

import re
from functools import partial

from agentops_pipelines.security.kinds import (
    PLACEHOLDER_START,
    RedactionKind,
    Replacer,
    looks_random,
    on_hinted_lines,
    placeholder,
    substitute,
)
from agentops_pipelines.security.named_secrets import NAMED_SECRET, NAMED_SECRET_HINT, named_secret

_KEY = placeholder(RedactionKind.API_KEY)
_URL = placeholder(RedactionKind.URL_CREDENTIALS)

_PEM_PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
    r"(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|.*\Z)",
    re.DOTALL,
)
_URL_USERINFO = re.compile(r"://(?!\[REDACTED:)[^\s/?#@:\[\]]*:[^\s/?#@]+@(?=[\w\[])")
_AUTH_HEADER = re.compile(
    r"(?P<head>(?i:\b(?:proxy-)?authorization)[\"']?[ \t]*[:=][ \t]*[\"']?"
    r"(?:(?P<scheme>(?i:bearer|basic|token|digest|bot))[ \t]+)?)"
    r"(?P<value>[^\s\"',;]+)"
)
_BEARER = re.compile(r"(?P<head>(?i:\bbearer)[ \t]+)(?P<value>[A-Za-z0-9._~+/=-]{16,})")
_VENDOR_TOKEN = re.compile(
    r"(?<![\w-])(?:"
    r"sk-ant-[A-Za-z0-9_-]{20,}"  # Anthropic
    r"|sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"  # OpenAI
    r"|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}"  # Stripe secret / restricted
    r"|whsec_[A-Za-z0-9+/=]{16,}"  # Stripe webhook signing secret
    r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"  # GitHub
    r"|xox[abposre]-[A-Za-z0-9-]{10,}"  # Slack
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}"  # AWS access key id
    r"|AIza[0-9A-Za-z_-]{35}"  # Google API key
    r"|eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"  # JWT header.payload.sig
    r")(?![\w-])"
)
_VENDOR_PREFIXES: tuple[str, ...] = (
    "sk-",
    "sk_",
    "rk_",
    "whsec_",
    "github_pat_",
    "xox",
    "AKIA",
    "ASIA",
    "AIza",
    "eyJ",
)
_VENDOR_PREFIXES += tuple(f"gh{letter}_" for letter in "pousr")


def _auth_header(match: re.Match[str]) -> tuple[str, int]:
    value = match["value"]
    if value.startswith(PLACEHOLDER_START):
        return match[0], 0
    if not match["scheme"] and not (len(value) >= 8 and looks_random(value)):
        return match[0], 0
    return match["head"] + _KEY, 1


def _bearer(match: re.Match[str]) -> tuple[str, int]:
    if not looks_random(match["value"]):
        return match[0], 0
    return match["head"] + _KEY, 1


def _vendor(match: re.Match[str]) -> tuple[str, int]:
    if not looks_random(match[0]):
        return match[0], 0
    return _KEY, 1


def redact_private_keys(text: str) -> tuple[str, int]:
    if "PRIVATE KEY" not in text:
        return text, 0
    return substitute(_PEM_PRIVATE_KEY, text, lambda m: (_KEY, 1))


def redact_url_credentials(text: str) -> tuple[str, int]:
    if "://" not in text:
        return text, 0
    return substitute(_URL_USERINFO, text, lambda m: (f"://{_URL}@", 1))


# Cheap hints that every match of the detector contains; `True` marks hints searched in the
# lower-cased text.
_HINTED_DETECTORS: tuple[tuple[re.Pattern[str] | None, bool, re.Pattern[str], Replacer], ...] = (
    (re.compile("authorization"), True, _AUTH_HEADER, _auth_header),
    (re.compile("bearer"), True, _BEARER, _bearer),
    (None, False, _VENDOR_TOKEN, _vendor),  # hint built from the prefixes present
    (NAMED_SECRET_HINT, True, NAMED_SECRET, named_secret),
)


def _vendor_hint(text: str) -> re.Pattern[str] | None:
    """An alternation of literals is slow in `re`; `in` tells first which prefixes occur at all."""
    present = [prefix for prefix in _VENDOR_PREFIXES if prefix in text]
    return re.compile("|".join(map(re.escape, present))) if present else None


def redact_api_keys(text: str) -> tuple[str, int]:
    """Auth headers, bare bearer tokens, vendor-prefixed keys and JWTs, then named secrets."""
    total = 0
    lowered = text.lower()
    for hint, folded, pattern, replacer in _HINTED_DETECTORS:
        hint = hint or _vendor_hint(text)
        if hint is None:
            continue
        if folded and len(lowered) != len(text):  # rare case folding changed the length
            text, found = substitute(pattern, text, replacer)
        else:
            text, found = on_hinted_lines(
                text,
                hint,
                partial(substitute, pattern, replacer=replacer),
                hint_source=lowered if folded else None,
            )
        if found:
            total += found
            lowered = text.lower()
    return text, total
