"""Which spec files a push touched, relative to the spec root (= `spec` partition keys)."""

from __future__ import annotations

from collections.abc import Iterable

import pathspec

from agentops_pipelines.gitops.inbox.events import PushEvent
from agentops_pipelines.security.pii import safe_path_key


def _relative(path: str, root: str) -> str | None:
    """Paths outside the spec root are not specs, whatever the globs say."""
    root = root.strip("/")
    if not root:
        return path
    prefix = root + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def spec_paths_changed(
    push: PushEvent, spec_globs: Iterable[str], spec_root: str = ""
) -> tuple[set[str], set[str]]:
    """(added_or_modified, removed) spec paths, replaying the push's commits in order.

    `spec_globs` use gitignore wildcard syntax (`**/*.md`) relative to `spec_root`. A file
    removed and re-added within the push ends up in added_or_modified, and vice versa.
    """
    matcher = pathspec.PathSpec.from_lines("gitwildmatch", list(spec_globs))
    changed: set[str] = set()
    removed: set[str] = set()
    for commit in push.commits:
        for path in [*commit.added, *commit.modified]:
            rel = _relative(path, spec_root)
            if rel is not None and matcher.match_file(rel):
                changed.add(rel)
                removed.discard(rel)
        for path in commit.removed:
            rel = _relative(path, spec_root)
            if rel is not None and matcher.match_file(rel):
                removed.add(rel)
                changed.discard(rel)
    # Same keys as SpecFolder.scan: an e-mail in a path is replaced by its pseudonym.
    return {safe_path_key(p) for p in changed}, {safe_path_key(p) for p in removed}
