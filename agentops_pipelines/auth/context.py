"""The principal acting in the current request or page run, for domain checks that need it.

Set by the API's auth layer and by the pages' sign-in; domain code reads it to trust a verified
role instead of a name (e.g. marketplace moderation).
"""

from __future__ import annotations

from contextvars import ContextVar

from agentops_pipelines.auth.principal import Principal
from agentops_pipelines.auth.roles import Role, satisfies

_acting: ContextVar[Principal | None] = ContextVar("agentops_principal", default=None)


def set_acting(principal: Principal | None) -> None:
    _acting.set(principal)


def acting() -> Principal | None:
    return _acting.get()


def acting_holds(subject: str, role: Role) -> bool:
    """True when `subject` is the verified caller and holds `role` in its workspace."""
    p = _acting.get()
    return p is not None and p.subject == subject and p.role is not None and satisfies(p.role, role)
