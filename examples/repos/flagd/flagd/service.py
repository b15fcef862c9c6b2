"""The flag service: definitions, evaluation, kill switch, audit, approvals, staleness."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

KEY = re.compile(r"^[a-z0-9-]{3,64}$")
ENVIRONMENTS = ("development", "staging", "production")


class FlagError(ValueError):
    pass


@dataclass
class Rules:
    allow_workspaces: set[str] = field(default_factory=set)
    percentage: int = 0
    killed: bool = False


@dataclass
class Flag:
    key: str
    kind: str
    default: object
    owner: str
    rules: dict[str, Rules] = field(default_factory=lambda: {e: Rules() for e in ENVIRONMENTS})
    served: dict[str, list[tuple[datetime, object]]] = field(default_factory=dict)


@dataclass
class AuditEntry:
    flag: str
    actor: str
    environment: str
    before: object
    after: object
    at: datetime


@dataclass
class PendingChange:
    flag: str
    author: str
    percentage: int
    approved_by: str | None = None


class FlagService:
    def __init__(self) -> None:
        self.flags: dict[str, Flag] = {}
        self.audit: list[AuditEntry] = []
        self.pending: list[PendingChange] = []

    def create(self, key: str, kind: str, default: object, owner: str) -> Flag:
        if not KEY.match(key):
            raise FlagError("flag keys use lower-case letters, digits and hyphens, 3-64 characters")
        if key in self.flags:
            raise FlagError(f"flag {key} exists")
        flag = Flag(key, kind, default, owner)
        self.flags[key] = flag
        return flag

    def evaluate(self, key: str, environment: str, user_id: str, workspace: str) -> object:
        flag = self.flags[key]
        rules = flag.rules[environment]
        if rules.killed:
            value = flag.default
        elif workspace in rules.allow_workspaces or bucket(key, user_id) < rules.percentage:
            value = True
        else:
            value = flag.default
        flag.served.setdefault(environment, []).append((datetime.now(UTC), value))
        return value

    def set_percentage(self, key: str, environment: str, percentage: int, actor: str) -> None:
        if environment == "production":
            self.pending.append(PendingChange(key, actor, percentage))
            return
        self._apply(key, environment, percentage, actor)

    def approve(self, change: PendingChange, approver: str) -> None:
        if approver == change.author:
            raise FlagError("A different admin must approve this change")
        change.approved_by = approver
        self.pending.remove(change)
        self._apply(change.flag, "production", change.percentage, change.author)

    def _apply(self, key: str, environment: str, percentage: int, actor: str) -> None:
        rules = self.flags[key].rules[environment]
        self.audit.append(
            AuditEntry(key, actor, environment, rules.percentage, percentage, datetime.now(UTC))
        )
        rules.percentage = percentage

    def kill(self, key: str, environment: str, actor: str) -> None:
        """Kill switches skip approval and keep the rules for later reactivation."""
        rules = self.flags[key].rules[environment]
        self.audit.append(AuditEntry(key, actor, environment, False, True, datetime.now(UTC)))
        rules.killed = True

    def stale_flags(self, now: datetime, days: int = 30) -> list[str]:
        stale = []
        for flag in self.flags.values():
            since = now - timedelta(days=days)
            values = {v for env in flag.served.values() for at, v in env if at >= since}
            oldest = min((at for env in flag.served.values() for at, _ in env), default=now)
            if len(values) == 1 and oldest <= since:
                stale.append(flag.key)
        return stale


def bucket(key: str, user_id: str) -> int:
    """Sticky 0-99 bucket from a hash of flag key and user id."""
    digest = hashlib.sha256(f"{key}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100
