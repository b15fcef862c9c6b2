"""RFC 6238 TOTP with a +-1 step window and replay protection."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct

STEP = 30


def new_secret() -> bytes:
    return secrets.token_bytes(20)  # 160 bits


def as_base32(secret: bytes) -> str:
    return base64.b32encode(secret).decode().rstrip("=")


def code_at(secret: bytes, counter: int) -> str:
    digest = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class Verifier:
    def __init__(self, secret: bytes) -> None:
        self.secret = secret
        self.used: set[int] = set()

    def verify(self, code: str, now: float) -> bool:
        current = int(now // STEP)
        for counter in (current - 1, current, current + 1):
            if hmac.compare_digest(code_at(self.secret, counter), code):
                if counter in self.used:
                    return False
                self.used.add(counter)
                return True
        return False
