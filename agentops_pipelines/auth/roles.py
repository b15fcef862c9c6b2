"""Workspace roles and what each one includes.

Roles are not a single ladder: a moderator looks after the marketplace without approving code, a
reviewer approves code without moderating. Owner and admin hold every role.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MAINTAINER = "maintainer"
    REVIEWER = "reviewer"
    MODERATOR = "moderator"
    VIEWER = "viewer"


_INCLUDES: dict[Role, frozenset[Role]] = {
    Role.OWNER: frozenset(Role),
    Role.ADMIN: frozenset(Role),
    Role.MAINTAINER: frozenset({Role.MAINTAINER, Role.REVIEWER, Role.VIEWER}),
    Role.REVIEWER: frozenset({Role.REVIEWER, Role.VIEWER}),
    Role.MODERATOR: frozenset({Role.MODERATOR, Role.VIEWER}),
    Role.VIEWER: frozenset({Role.VIEWER}),
}


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValueError(f"role {value!r} is unknown; use one of {names}") from None


def satisfies(held: Role, needed: Role) -> bool:
    """True when a member holding `held` may do what needs `needed`."""
    return needed in _INCLUDES[held]
