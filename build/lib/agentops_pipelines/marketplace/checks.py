"""The automatic moderation rules run on every upload and review text.

Secrets and personal data (the shared `security` detectors), the banned-content list in
`banned_terms.txt`, and links: checked offline for syntax and scheme only (no request is made,
so uploading never makes the server fetch an attacker's URL).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from agentops_pipelines.security import redact

BANNED_TERMS_FILE = Path(__file__).with_name("banned_terms.txt")
ALLOWED_SCHEMES = ("http", "https", "mailto")
_URL = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]{1,15}):(//[^\s)>\]\"']+|[^\s)>\]\"']+@[^\s)>\]\"']+)")
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_PLACEHOLDER = {"api_key": "<API_KEY>", "email": "<EMAIL>", "phone": "<PHONE>"}
_MAX_REPORTED = 10
# Piping a download into a shell, whatever the URL in between.
_PIPE_TO_SHELL = re.compile(r"\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b", re.I)


@lru_cache(maxsize=4)
def banned_terms(path: Path = BANNED_TERMS_FILE) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(s.lower() for s in (line.strip() for line in lines) if s and not s.startswith("#"))


def _pattern(term: str) -> re.Pattern[str]:
    """Whitespace in a term matches any run of spaces, so 'curl  |  sh' is caught too."""
    parts = [re.escape(p) for p in term.split()]
    edge = r"\b" if term[0].isalnum() else ""
    tail = r"\b" if term[-1].isalnum() else ""
    return re.compile(edge + r"\s+".join(parts) + tail, re.IGNORECASE)


def scan_secrets(text: str, where: str) -> list[str]:
    """One problem per line holding a secret or personal data, naming the kind and the fix."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        counts = redact(line).counts
        for kind in sorted(counts):
            hint = _PLACEHOLDER.get(kind, f"<{kind.upper()}>")
            problems.append(
                f"{where} line {number}: contains {kind.replace('_', ' ')}; remove it or write "
                f"a placeholder such as {hint}"
            )
    return problems[:_MAX_REPORTED]


def scan_banned(text: str, where: str, terms: tuple[str, ...] | None = None) -> list[str]:
    found = [t for t in (terms or banned_terms()) if _pattern(t).search(text)]
    problems = [f"{where}: contains banned content {t!r}; remove it" for t in found]
    if _PIPE_TO_SHELL.search(text):
        problems.append(
            f"{where}: pipes a download into a shell (curl ... | sh); link the installer instead"
        )
    return problems


def _link_problem(url: str) -> str | None:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"link {url[:80]!r} uses scheme '{scheme}:'; only {', '.join(ALLOWED_SCHEMES)} links"
    if scheme == "mailto":
        return None
    if not parts.hostname or "." not in parts.hostname and parts.hostname != "localhost":
        return f"link {url[:80]!r} has no valid host name; write a full https:// address"
    if " " in url or len(url) > 2000:
        return f"link {url[:80]!r} is malformed (spaces or over 2000 characters); fix the address"
    return None


def scan_links(text: str, where: str) -> list[str]:
    """Markdown link targets and bare URLs; relative links (#anchor, ./file.md) are fine."""
    candidates = {m.group(1) for m in _MD_LINK.finditer(text) if ":" in m.group(1)}
    candidates |= {m.group(0) for m in _URL.finditer(text)}
    problems = [p for url in sorted(candidates) if (p := _link_problem(url))]
    return [f"{where}: {p}" for p in problems][:_MAX_REPORTED]


def scan_text(text: str, where: str) -> list[str]:
    return scan_secrets(text, where) + scan_banned(text, where) + scan_links(text, where)
