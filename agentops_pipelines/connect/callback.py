"""What to do when GitHub sends the browser back: finish a sign-in, or connect an installation.

Two returns are possible. From the App's install page (its Setup URL) with `installation_id` and
our `state`: the admin is then sent through OAuth once more, so that their own token can prove
access to that installation. From OAuth's authorize page with `code` and `state`: the code is
exchanged (PKCE) and the flow's purpose decides the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.connect import flows, installations
from agentops_pipelines.connect.errors import OAuthError
from agentops_pipelines.connect.models import GitHubUser

if TYPE_CHECKING:
    from agentops_pipelines.connect.github_app import GitHubApp
    from agentops_pipelines.connect.github_oauth import GitHubOAuth

CALLBACK_KEYS = ("code", "state", "installation_id", "setup_action", "error")


class CallbackResult(BaseModel):
    kind: Literal["signed_in", "authorize", "connected"]
    workspace: str
    user: GitHubUser | None = None
    next_url: str | None = None
    installation: installations.Installation | None = None


def is_callback(params: Mapping[str, str]) -> bool:
    return "state" in params and (
        "code" in params or "installation_id" in params or "error" in params
    )


def handle(
    sessions: sessionmaker,
    params: Mapping[str, str],
    *,
    oauth: GitHubOAuth,
    app: GitHubApp | None,
    may_connect: Callable[[str, str], bool],
) -> CallbackResult:
    """`may_connect(workspace, actor)`: whether the admin who started a connect still may."""
    state = str(params.get("state", ""))
    if params.get("error"):
        flows.consume(sessions, state, "sign_in", "install", "connect")  # spent either way
        raise OAuthError("GitHub did not authorise (you cancelled or were refused); start again")
    if "code" not in params:
        flow = flows.consume(sessions, state, "install")
        try:
            installation_id = int(str(params.get("installation_id")))
        except ValueError:
            raise OAuthError("GitHub sent back no installation id; install the App again") from None
        confirm = flows.begin(sessions, "connect", flow.workspace, flow.actor, installation_id)
        url = oauth.authorize_url(confirm.state, confirm.verifier)
        return CallbackResult(kind="authorize", workspace=flow.workspace, next_url=url)
    flow = flows.consume(sessions, state, "sign_in", "connect")
    token = oauth.exchange(str(params["code"]), flow.verifier)
    user = oauth.user(token)
    if flow.purpose == "sign_in":
        return CallbackResult(kind="signed_in", workspace=flow.workspace, user=user)
    actor, pending = flow.actor or "", flow.installation_id
    if app is None or pending is None:
        raise OAuthError("the GitHub App is not configured here any more (AGENTOPS_GITHUB_APP_ID)")
    if not may_connect(flow.workspace, actor):
        raise OAuthError(f"{actor} no longer holds the admin role here; nothing was connected")
    done = installations.connect(
        sessions, app, oauth, workspace=flow.workspace, actor=actor,
        installation_id=pending, user_token=token, via=f"github:{user.login}",
    )  # fmt: skip
    return CallbackResult(kind="connected", workspace=flow.workspace, user=user, installation=done)
