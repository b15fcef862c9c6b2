"""Secrets without a vendor prefix, found where the text names them: `api_key = "..."`,
`password=...`, `token: ...`, `secret: ...`. The value is redacted and the name kept.

A name alone is not enough: `Password: at least 12 characters`, `api_key=settings.api_key` and
`token: refreshed every 15 minutes` are ordinary spec text, so unquoted values must look like a
secret (and, after a colon, look generated).
"""

from __future__ import annotations

import re

from agentops_pipelines.security.kinds import (
    PLACEHOLDER_START,
    RedactionKind,
    looks_random,
    placeholder,
)

_KEY = placeholder(RedactionKind.API_KEY)
_SECRET_NAME = (
    r"(?:api[_-]?key|apikey|api[_-]?secret|secret(?:[_-]?key)?|token|passw(?:or)?d|passphrase"
    r"|pwd|private[_-]?key|access[_-]?key(?:[_-]?id)?|credentials?)"
)
NAMED_SECRET = re.compile(  # a bare `pass:` is prose ("tests pass: ..."), `DB_PASS=` is a secret
    r"(?<![\w-])(?P<key>(?i:(?:[a-z0-9]+[_.-])*" + _SECRET_NAME + r"|(?:[a-z0-9]+[_.-])+pass))"
    r"(?![\w-])"
    r"(?P<sep>[\"']?[ \t]*(?:=>|:=|[:=])(?![=>])[ \t]*)"
    r"(?:(?P<q>[\"'])(?P<qvalue>[^\n]{0,500}?)(?P=q)|(?P<value>[^\s\"'`,;&<>()\[\]{}]+))"
)
_NOT_SECRETS = frozenset(
    {"none", "null", "nil", "true", "false", "undefined", "required", "optional", "string"}
)
_CODE_REFERENCE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_VERSION = re.compile(r"v?\d+(?:\.\d+)+")
# Every named secret contains one of these names followed by `:` or `=`; searched lower-cased.
NAMED_SECRET_HINT = re.compile(
    r"(?:key|secret|token|pass(?:word|wd|phrase)?|pwd|credentials?)[\"']?[ \t]*[:=]"
)


def _worth_redacting(key: str, value: str, *, colon: bool, quoted: bool) -> bool:
    """Decide whether a value named by a secret-ish key is a secret, not prose, code or a stub.

    `Password: at least 12 characters` and `api_key=settings.api_key` are ordinary spec text;
    `password=hunter2` and `token: "abc"` are not.
    """
    lowered = value.lower()
    if len(value) < 4 or value.startswith(PLACEHOLDER_START) or lowered in _NOT_SECRETS:
        return False
    if lowered == key.lower():
        return False
    if quoted:
        return True
    if _CODE_REFERENCE.fullmatch(value) or _VERSION.fullmatch(value):
        return False
    if not colon:
        return len(value) >= 6
    return len(value) >= 6 and looks_random(value)


def named_secret(match: re.Match[str]) -> tuple[str, int]:
    """Replacer for `NAMED_SECRET`: keep the name, separator and quotes; redact the value."""
    key, sep, quote = match["key"], match["sep"], match["q"]
    value = match["qvalue"] if quote else match["value"]
    followed_by = match.string[match.end() : match.end() + 1]
    if not quote and followed_by in ("(", "["):  # a call or subscript: code, not a literal
        return match[0], 0
    if not _worth_redacting(key, value, colon=":" in sep and "=" not in sep, quoted=bool(quote)):
        return match[0], 0
    return f"{key}{sep}{quote or ''}{_KEY}{quote or ''}", 1
