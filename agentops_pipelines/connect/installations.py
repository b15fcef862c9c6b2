"""Connecting a workspace to a GitHub App installation, and linking one granted repository.

The installation id GitHub puts in the setup redirect is not trusted on its own (anyone can
edit a URL): it is kept only when the admin's own OAuth token lists it under
`GET /user/installations`. Linking a repository goes through the same remote policy and audit
as `PUT /api/git/links`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, SecretStr
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.auth import audit
from agentops_pipelines.connect.errors import GitHubAppError, OAuthError
from agentops_pipelines.connect.models import GrantedRepo
from agentops_pipelines.connect.tables import GitHubInstallationRow
from agentops_pipelines.gitops.links.remote_policy import check_remote
from agentops_pipelines.gitops.links.repo_links import RepoLink, link_for_repo, save_link

if TYPE_CHECKING:  # PyGithub takes seconds to import; pages that only read need none of it
    from agentops_pipelines.connect.github_app import GitHubApp
    from agentops_pipelines.connect.github_oauth import GitHubOAuth


class Installation(BaseModel):
    workspace: str
    installation_id: int
    account: str
    connected_by: str


def installation_of(sessions: sessionmaker, workspace: str) -> Installation | None:
    with sessions() as session:
        row = session.get(GitHubInstallationRow, workspace)
        if row is None:
            return None
        return Installation(
            workspace=row.workspace,
            installation_id=row.installation_id,
            account=row.account,
            connected_by=row.connected_by,
        )


def connect(
    sessions: sessionmaker,
    app: GitHubApp,
    oauth: GitHubOAuth,
    *,
    workspace: str,
    actor: str,
    installation_id: int,
    user_token: SecretStr,
    via: str = "",
) -> Installation:
    """Keep `installation_id` for `workspace` once the admin's token proves access to it."""
    if installation_id not in oauth.installation_ids(user_token):
        raise OAuthError(
            f"installation {installation_id} is not one your GitHub account can access; "
            "install the App from the Git page again"
        )
    account = app.account(installation_id)
    with sessions.begin() as session:
        row = session.get(GitHubInstallationRow, workspace)
        if row is None:
            row = GitHubInstallationRow(workspace=workspace)
            session.add(row)
        row.installation_id, row.account = installation_id, account
        row.connected_by, row.connected_at = actor, datetime.now(UTC)
        audit.record(
            session, workspace=workspace, actor=actor, via=via, action="github.connect",
            subject=f"github_installation:{installation_id}", detail={"account": account},
        )  # fmt: skip
    return Installation(
        workspace=workspace, installation_id=installation_id, account=account, connected_by=actor
    )


def granted_repositories(
    sessions: sessionmaker, app: GitHubApp, workspace: str
) -> list[GrantedRepo]:
    found = installation_of(sessions, workspace)
    if found is None:
        raise GitHubAppError("GitHub is not connected for this workspace: connect it first")
    return app.repositories(found.installation_id)


def link_granted(
    sessions: sessionmaker,
    app: GitHubApp,
    *,
    workspace: str,
    actor: str,
    repo: str,
    implements: str | None = "*",
    via: str = "",
) -> RepoLink:
    """Link one repository the installation grants (and only such a one)."""
    granted = {r.full_name.lower(): r for r in granted_repositories(sessions, app, workspace)}
    chosen = granted.get(repo.lower())
    if chosen is None:
        raise GitHubAppError(
            f"{repo!r} is not granted to the App's installation; add it to the installation "
            "on GitHub (Settings > Applications) and reload"
        )
    link = RepoLink(
        repo=chosen.full_name,
        remote_url=check_remote(chosen.clone_url),
        base_branch=chosen.default_branch,
        implements=implements,
    )
    before = link_for_repo(sessions, link.repo)
    saved = save_link(sessions, link)
    audit.record(
        sessions, workspace=workspace, actor=actor, via=via, action="link.change",
        subject=f"repo:{saved.repo}",
        detail={"from": before.remote_url if before else None, "to": saved.remote_url,
                "source": "github_app"},
    )  # fmt: skip
    return saved
