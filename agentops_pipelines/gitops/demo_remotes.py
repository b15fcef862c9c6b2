"""`make demo`: each sample code repository gets a local bare git remote and a Git link.

    python -m agentops_pipelines.gitops.demo_remotes

The samples in `config/code_links.yaml` (examples/repos/logq, flagd, authmfa) are plain folders
of this project. For the Git page to show real links and for proposals to target a real remote
offline, each is committed once into `$AGENTOPS_HOME/git_remotes/<name>.git` (a bare repository,
branch `main`) and linked as `demo/<name>`, implementing the specs its code link names. Local
remotes need AGENTOPS_GIT_ALLOW_LOCAL_REMOTES=on (the demo sets it). Idempotent: an existing
remote is kept, the link is rewritten. Pushing a proposal still needs a Git host token; without
one the Git page says the approval waits for it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.links import CodeLink, load_code_links
from agentops_pipelines.settings import PROJECT_ROOT

_IDENTITY = ["-c", "user.name=AgentOps demo", "-c", "user.email=demo@agentops.invalid"]


def _git(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(["git", *_IDENTITY, *args], cwd=cwd, check=True, capture_output=True)


def bare_remote(source: Path, remote: Path) -> Path:
    """`remote` as a bare repository whose `main` holds `source`'s files (created once)."""
    if (remote / "HEAD").exists():
        return remote
    remote.parent.mkdir(parents=True, exist_ok=True)
    _git("init", "--bare", "--initial-branch=main", str(remote))
    with tempfile.TemporaryDirectory(prefix="agentops-demo-remote-") as tmp:
        work = Path(tmp) / "work"
        shutil.copytree(source, work, ignore=shutil.ignore_patterns(".git", "__pycache__"))
        _git("init", "--initial-branch=main", cwd=work)
        _git("add", "-A", cwd=work)
        _git("commit", "-q", "-m", f"Sample repository {source.name}", cwd=work)
        _git("push", "-q", str(remote), "main", cwd=work)
    return remote


def link_demo_remotes(
    sessions: sessionmaker, home: Path, links: list[CodeLink] | None = None
) -> list[RepoLink]:
    """One bare remote and one Git link per code link; returns the links written."""
    written = []
    for link in load_code_links() if links is None else links:
        source = Path(link.repo)
        source = source if source.is_absolute() else PROJECT_ROOT / source
        if not source.is_dir():
            raise FileNotFoundError(
                f"code link {link.spec!r} names {source}, which is not a folder: fix "
                "config/code_links.yaml (or AGENTOPS_CODE_LINKS)"
            )
        remote = bare_remote(source, home / "git_remotes" / f"{source.name}.git")
        written.append(
            save_link(
                sessions,
                RepoLink(repo=f"demo/{source.name}", remote_url=str(remote), implements=link.spec),
            )
        )
    return written


def main() -> int:
    from agentops_pipelines.settings import load_settings
    from agentops_pipelines.store.db import open_store

    settings = load_settings()
    made = link_demo_remotes(open_store(settings.app_db_url), settings.home)
    for link in made:
        print(f"Git link {link.repo} -> {link.remote_url} (specs {link.implements})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
