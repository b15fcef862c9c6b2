"""What the Git hosts answer, as plain models (no SDK import needed to use them)."""

from __future__ import annotations

from pydantic import BaseModel


class GrantedRepo(BaseModel):
    full_name: str
    clone_url: str
    default_branch: str
    private: bool


class GitHubUser(BaseModel):
    login: str
    id: int
    name: str | None = None
    email: str | None = None

    @property
    def subject(self) -> str:
        """How a GitHub account is named among members: never confused with an OIDC email."""
        return f"github:{self.login}"
