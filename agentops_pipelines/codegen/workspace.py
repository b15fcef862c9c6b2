"""Isolated workspaces under the artefact root: a fresh copy of the linked repo (or an empty
folder) per spec, so generated code never touches the user's checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

from agentops_pipelines.artefacts import encode_key
from agentops_pipelines.codeintel.index import SKIP_DIRS
from agentops_pipelines.gitops.changes.path_guard import ProtectedPathError, check_paths


class WorkspaceError(ValueError):
    """A path a patch may not write, or a workspace that cannot be prepared."""


def workspace_dir(artefact_root: Path, spec_id: str) -> Path:
    return Path(artefact_root) / "workspaces" / encode_key(spec_id)


def prepare_workspace(artefact_root: Path, spec_id: str, repo: Path | None) -> Path:
    """Recreate the spec's workspace: a copy of `repo` without VCS/vendored folders, or empty."""
    target = workspace_dir(artefact_root, spec_id)
    parent = (Path(artefact_root) / "workspaces").resolve()
    if target.resolve().parent != parent:  # never delete anything outside the workspaces folder
        raise WorkspaceError(f"workspace {target} is not under {parent}; refusing to replace it")
    if target.exists():
        shutil.rmtree(target)
    if repo is None:
        target.mkdir(parents=True)
    elif not Path(repo).is_dir():
        raise WorkspaceError(
            f"linked repository {repo} is not a folder: fix config/code_links.yaml "
            "(or AGENTOPS_CODE_LINKS) or clone the repository there"
        )
    else:
        shutil.copytree(repo, target, symlinks=True, ignore=shutil.ignore_patterns(*SKIP_DIRS))
    return target


def safe_target(workspace: Path, path: str) -> Path:
    """The file `path` inside the workspace; refuses escapes (.., absolute, symlinks out) and
    protected paths such as CI workflows."""
    try:
        (normal,) = check_paths([path])
    except ProtectedPathError as exc:
        raise WorkspaceError(str(exc)) from exc
    root = workspace.resolve()
    full = (root / normal).resolve()
    if not full.is_relative_to(root):
        raise WorkspaceError(f"file path {path!r} resolves outside the workspace (symlink?)")
    return full
