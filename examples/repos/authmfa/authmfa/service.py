"""Sign-in flow: password, second factor, recovery codes, lockout, sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from authmfa.totp import Verifier

INCORRECT = "Email or password is incorrect"
USED_CODE = "This recovery code has already been used"
LOCK_SECONDS = 15 * 60
MAX_FAILURES = 5
ABSOLUTE_LIFETIME = 12 * 3600
IDLE_LIFETIME = 60 * 60


@dataclass
class Account:
    email: str
    salt: bytes
    password_hash: bytes
    verifier: Verifier | None = None
    recovery: dict[str, bool] = field(default_factory=dict)
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0


@dataclass
class Session:
    id: str
    email: str
    created: float
    last_seen: float

    def valid(self, now: float) -> bool:
        return now - self.created < ABSOLUTE_LIFETIME and now - self.last_seen < IDLE_LIFETIME


def hash_password(password: str, salt: bytes) -> bytes:
    # scrypt stands in for Argon2id here to stay on the standard library.
    return hashlib.scrypt(password.encode(), salt=salt, n=2**12, r=8, p=1)


class AuthService:
    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.sessions: dict[str, Session] = {}

    def register(self, email: str, password: str) -> Account:
        salt = secrets.token_bytes(16)
        account = Account(email, salt, hash_password(password, salt))
        self.accounts[email] = account
        return account

    def enrol(self, email: str, secret: bytes) -> list[str]:
        account = self.accounts[email]
        account.verifier = Verifier(secret)
        codes = [secrets.token_hex(5) for _ in range(10)]
        account.recovery = dict.fromkeys(codes, False)
        return codes

    def password_step(self, email: str, password: str, now: float) -> str:
        """'mfa' when a second factor is needed, else a session id."""
        account = self.accounts.get(email)
        if account is not None and now < account.locked_until:
            minutes = int((account.locked_until - now) // 60) + 1
            raise PermissionError(f"Too many attempts, try again in {minutes} minutes")
        if account is None or not hmac.compare_digest(
            hash_password(password, account.salt), account.password_hash
        ):
            if account is not None:
                self._fail(account, now)
            raise PermissionError(INCORRECT)
        return "mfa" if account.verifier else self._issue(email, now)

    def totp_step(self, email: str, code: str, now: float) -> str:
        account = self.accounts[email]
        if account.verifier is None or not account.verifier.verify(code, now):
            self._fail(account, now)
            raise PermissionError("Invalid code")
        return self._issue(email, now)

    def recovery_step(self, email: str, code: str, now: float) -> str:
        account = self.accounts[email]
        if account.recovery.get(code) is True:
            raise PermissionError(USED_CODE)
        if code not in account.recovery:
            self._fail(account, now)
            raise PermissionError("Invalid code")
        account.recovery[code] = True
        return self._issue(email, now)

    def _fail(self, account: Account, now: float) -> None:
        account.failures = [t for t in account.failures if now - t < LOCK_SECONDS] + [now]
        if len(account.failures) >= MAX_FAILURES:
            account.locked_until = now + LOCK_SECONDS

    def _issue(self, email: str, now: float) -> str:
        session = Session(secrets.token_urlsafe(24), email, now, now)
        self.sessions[session.id] = session
        return session.id

    def sign_out(self, session_id: str) -> None:
        self.sessions.pop(session_id, None)
