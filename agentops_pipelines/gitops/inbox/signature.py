"""GitHub webhook signatures (`X-Hub-Signature-256`): HMAC-SHA256 of the raw body, hex, prefixed."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    """The header value GitHub would send for `body` with this webhook secret."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """True only when `header` is the signature of exactly these bytes; constant-time compare."""
    if not secret or not header or not header.startswith(PREFIX):
        return False
    return hmac.compare_digest(sign(secret, body).encode("ascii"), header.encode("utf-8"))
