"""From push deliveries to the exact specs to ingest or drop.

Only pushes to a linked repository's base branch count, and only files under its `spec_root`
matching its `spec_globs`. The spec source is then pulled (when it is a git clone with a remote)
and read, so a run ingests the committed content, not the payload's claim about it.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.gitops.inbox.events import PushEvent
from agentops_pipelines.gitops.links.repo_links import RepoLink
from agentops_pipelines.gitops.links.spec_paths import spec_paths_changed
from agentops_pipelines.settings import get_settings
from agentops_pipelines.specs.source import SpecFile
from agentops_pipelines.specs.sync import SpecPlan

log = logging.getLogger(__name__)


class PushChanges(BaseModel):
    changed: set[str] = Field(default_factory=set)
    removed: set[str] = Field(default_factory=set)
    last_delivery: dict[str, str] = Field(
        default_factory=dict, description="spec -> the last delivery that touched it"
    )


def collect(pushes: list[tuple[str, PushEvent]], links: list[RepoLink]) -> PushChanges:
    """Replay (delivery id, push) pairs in inbox order: a later push decides a spec's fate."""
    by_repo = {link.repo.lower(): link for link in links if link.spec_root is not None}
    out = PushChanges()
    for delivery_id, push in pushes:
        link = by_repo.get(push.repository.full_name.lower())
        if link is None or push.branch != link.base_branch:
            continue
        changed, removed = spec_paths_changed(push, link.spec_globs, link.spec_root or "")
        out.changed = (out.changed - removed) | changed
        out.removed = (out.removed - changed) | removed
        out.last_delivery |= dict.fromkeys(changed | removed, delivery_id)
    return out


def _git(root: Path, *args: str, timeout: int = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env=get_settings().subprocess_env(GIT_TERMINAL_PROMPT="0"),
    )


def pull_source(root: Path) -> str:
    """`git pull --ff-only` when the spec folder is in a clone with a remote; else nothing.

    The folder may be a sub-folder of the clone (specs/ in a product repository).
    """
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return "not a git clone"
        if not _git(root, "remote").stdout.strip():
            return "no remote"
        done = _git(root, "pull", "--ff-only", "--quiet", timeout=120)
    except (OSError, subprocess.TimeoutExpired) as err:
        log.warning("git pull of the spec source %s did not run: %s", root, err)
        return "pull failed"
    if done.returncode != 0:
        log.warning("git pull of the spec source %s failed: %s", root, done.stderr.strip())
        return "pull failed"
    return "pulled"


class PushPlan(SpecPlan):
    missing: list[str] = Field(default_factory=list, description="pushed but not in the source")


def plan_push(changes: PushChanges, scan: list[SpecFile], existing: set[str]) -> PushPlan:
    """Exactly the pushed specs: present ones run (and get a partition), gone ones are dropped."""
    now = {f.key: f.content_hash for f in scan}
    runs = sorted((k, now[k]) for k in changes.changed if k in now)
    return PushPlan(
        add_partitions=sorted(k for k, _ in runs if k not in existing),
        delete_partitions=sorted(k for k in changes.removed if k in existing and k not in now),
        runs=runs,
        missing=sorted(k for k in changes.changed if k not in now),
    )
