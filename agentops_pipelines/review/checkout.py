"""The repository at a PR's base and head, as two plain folders, plus the PR's unified diff.

A bare cache clone per repository is fetched on every review (`git fetch` of the branches and of
`refs/pull/<n>/head`, which GitHub publishes for forks too), then both commits are exported with
`git archive` so nothing of git's state leaks into the sandbox. The diff is taken against the
merge base, as GitHub shows it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

from pydantic import BaseModel

_SHA = re.compile(r"^[0-9a-f]{7,40}$")
_TIMEOUT = 300


class CheckoutError(RuntimeError):
    """git could not fetch or export a commit; the message names the remote (no credentials)."""


class PullCheckout(BaseModel):
    base_dir: Path
    head_dir: Path
    merge_base: str
    diff: str


def _git(
    args: list[str], cwd: Path, what: str, *, text: bool = True
) -> subprocess.CompletedProcess:
    done = subprocess.run(
        ["git", "-c", "protocol.file.allow=always", *args],
        cwd=cwd,
        capture_output=True,
        text=text,
        timeout=_TIMEOUT,
        check=False,
        env={"GIT_TERMINAL_PROMPT": "0", "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(cwd)},
    )
    if done.returncode != 0:
        err = done.stderr if text else done.stderr.decode("utf-8", "replace")
        raise CheckoutError(f"git {what} failed: {_redact(err.strip())[-500:]}")
    return done


def _redact(text: str) -> str:
    """A remote URL may carry a token (https://x-access-token:...@host): never repeat it."""
    return re.sub(r"://[^/@\s]+@", "://***@", text)


def _export(cache: Path, sha: str, dest: Path) -> None:
    """`git archive` into a fresh folder; members are checked to stay inside it."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    data = _git(["archive", "--format=tar", sha], cache, f"archive {sha[:12]}", text=False).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")


def checkout_pull(
    remote_url: str, number: int, base_sha: str, head_sha: str, workdir: Path
) -> PullCheckout:
    for sha in (base_sha, head_sha):
        if not _SHA.match(sha):
            raise CheckoutError(f"commit {sha!r} is not a hex SHA; the webhook payload is wrong")
    workdir = Path(workdir)
    cache = workdir / "cache.git"
    if not cache.exists():
        cache.mkdir(parents=True)
        _git(["init", "--bare", "-q"], cache, "init")
    refspecs = ["+refs/heads/*:refs/remotes/origin/*", f"+refs/pull/{number}/head:refs/pr/{number}"]
    try:
        _git(["fetch", "-q", "--no-tags", remote_url, *refspecs], cache, "fetch")
    except CheckoutError:  # a remote without pull refs (plain git server, tests): branches only
        _git(["fetch", "-q", "--no-tags", remote_url, refspecs[0]], cache, "fetch")
    for sha in (base_sha, head_sha):
        try:
            _git(["cat-file", "-e", f"{sha}^{{commit}}"], cache, f"find commit {sha[:12]}")
        except CheckoutError:
            raise CheckoutError(
                f"commit {sha[:12]} is not on {_redact(remote_url)} after fetching; "
                "was the branch force-pushed? the next synchronize event reviews the new head"
            ) from None
    merge_base = _git(["merge-base", base_sha, head_sha], cache, "merge-base").stdout.strip()
    diff = _git(
        ["diff", "--no-color", "--no-ext-diff", "-M", "--unified=3", merge_base, head_sha],
        cache,
        "diff",
    ).stdout
    base_dir, head_dir = workdir / "base", workdir / "head"
    _export(cache, merge_base, base_dir)
    _export(cache, head_sha, head_dir)
    return PullCheckout(base_dir=base_dir, head_dir=head_dir, merge_base=merge_base, diff=diff)
