"""The authenticated caller: subject, workspace, role and the scopes its credential carries."""

from __future__ import annotations

from pydantic import BaseModel, Field

from agentops_pipelines.auth.roles import Role

ALL_SCOPES = "*"


class Principal(BaseModel):
    subject: str = Field(description="user (email or login) or service:<name>")
    workspace: str
    role: Role | None = Field(default=None, description="None: signed in but not a member")
    scopes: frozenset[str] = frozenset({ALL_SCOPES})
    via: str = Field(description="token:<prefix>, oidc:<issuer>, session:<id> or dev")

    def has_scope(self, scope: str) -> bool:
        if ALL_SCOPES in self.scopes or scope in self.scopes:
            return True
        area, _, level = scope.partition(":")
        # A write scope includes the read of the same area; admin includes both.
        implied = {"read": ("write", "admin"), "write": ("admin",)}.get(level, ())
        return any(f"{area}:{x}" in self.scopes for x in implied)
