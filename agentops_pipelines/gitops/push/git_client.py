"""Push a proposal's files as one commit on its branch with the real git client.

The clone lives under a work folder and is reused. A re-run starts from the remote branch when it
exists, so the same branch (and the same pull request) moves forward instead of being replaced.
An https token is passed to git through GIT_CONFIG_* environment variables: never in argv
(visible in `ps`), never in the remote URL (written to .git/config), never logged.
"""

from __future__ import annotations

import base64
import logging
import re
import subprocess
from pathlib import Path

from pydantic import BaseModel

from agentops_pipelines.gitops.changes.path_guard import DEFAULT_PROTECTED_PATHS, check_paths
from agentops_pipelines.gitops.changes.proposals import ProposedFile
from agentops_pipelines.gitops.links.remote_policy import may_send_token
from agentops_pipelines.settings import get_settings

log = logging.getLogger(__name__)
AUTHOR = ("AgentOps", "agentops@users.noreply.github.com")


class GitPushError(RuntimeError):
    """A git command failed; the message names the command and git's own words, never a token."""


class PushResult(BaseModel):
    branch: str
    commit_sha: str
    created_commit: bool


def _env(token: str | None, remote_url: str) -> dict[str, str]:
    env = get_settings().subprocess_env(GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    if token and may_send_token(remote_url):  # never to another host (remote_policy)
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        env |= {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "http.extraHeader",
            "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
        }
    return env


class GitWorkspace:
    def __init__(self, remote_url: str, workdir: Path, token: str | None = None) -> None:
        self.remote_url = remote_url
        self.workdir = Path(workdir)
        self._env = _env(token, remote_url)
        self._token = token

    def _git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cwd = self.workdir if (self.workdir / ".git").exists() else self.workdir.parent
        done = subprocess.run(
            ["git", *args], cwd=cwd, env=self._env, capture_output=True, text=True, timeout=300
        )
        if check and done.returncode != 0:
            message = (done.stderr or done.stdout).strip()
            if self._token:
                message = message.replace(self._token, "***")
            message = re.sub(r"https://[^@/\s]+@", "https://***@", message)
            raise GitPushError(f"`git {args[0]}` failed for {self.remote_url}: {message}")
        return done

    def sync(self) -> None:
        """Clone on first use, fetch afterwards; the remote URL is reset to the linked one."""
        if not (self.workdir / ".git").exists():
            self.workdir.parent.mkdir(parents=True, exist_ok=True)
            self._git("clone", "--quiet", self.remote_url, str(self.workdir))
        else:
            self._git("remote", "set-url", "origin", self.remote_url)
            self._git("fetch", "--quiet", "--prune", "origin")

    def _remote_has(self, branch: str) -> bool:
        return (
            self._git(
                "rev-parse", "--verify", "--quiet", f"origin/{branch}", check=False
            ).returncode
            == 0
        )

    def read(self, base: str, path: str) -> str | None:
        """A file's content on the remote base branch (None when absent), for diffs."""
        done = self._git("show", f"origin/{base}:{path}", check=False)
        return done.stdout if done.returncode == 0 else None

    def push(
        self,
        branch: str,
        base: str,
        files: list[ProposedFile],
        message: str,
        protected: tuple[str, ...] | list[str] = DEFAULT_PROTECTED_PATHS,
    ) -> PushResult:
        paths = check_paths([f.path for f in files], protected)
        self.sync()
        start = f"origin/{branch}" if self._remote_has(branch) else f"origin/{base}"
        if not self._remote_has(base) and start == f"origin/{base}":
            raise GitPushError(f"base branch {base!r} does not exist on {self.remote_url}")
        self._git("checkout", "--quiet", "--force", "-B", branch, start)
        self._git("clean", "-fdq")
        for path, file in zip(paths, files, strict=True):
            target = self.workdir / path
            if file.content is None:
                self._git("rm", "--quiet", "--ignore-unmatch", "--", path)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(file.content, encoding="utf-8")
            self._git("add", "--", path)
        staged = self._git("diff", "--cached", "--quiet", check=False).returncode != 0
        if staged:
            name, email = AUTHOR
            self._git(
                "-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-qm", message
            )
        self._git("push", "--quiet", "origin", f"HEAD:refs/heads/{branch}")
        sha = self._git("rev-parse", "HEAD").stdout.strip()
        log.info("pushed %s to %s (%s)", branch, self.remote_url.split("@")[-1], sha[:12])
        return PushResult(branch=branch, commit_sha=sha, created_commit=staged)
