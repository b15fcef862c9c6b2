"""Which code repository a spec is implemented in, and where CI results for a spec are dropped.

One small YAML file (`config/code_links.yaml`, or `AGENTOPS_CODE_LINKS`) maps spec partition keys
(glob patterns) to a local path or clone. Relative paths resolve against the file's folder's
parent (the project root for the bundled file), so the same file works in any checkout.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from agentops_pipelines.settings import PROJECT_ROOT, Settings, settings_for

DEFAULT_LINKS_FILE = PROJECT_ROOT / "config" / "code_links.yaml"


class CodeLink(BaseModel):
    spec: str  # glob over spec partition keys, e.g. "team-invitations/*"
    repo: str  # local path or clone; relative to the project root


class CodeLinksError(ValueError):
    pass


def links_file(environ: dict[str, str] | None = None) -> Path:
    return settings_for(environ).paths.code_links


def load_code_links(path: Path | None = None) -> list[CodeLink]:
    path = path or links_file()
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return [CodeLink.model_validate(item) for item in data.get("links", [])]
    except (yaml.YAMLError, ValidationError, AttributeError) as exc:
        raise CodeLinksError(
            f"{path}: not a valid code-links file ({exc}). Expected `links:` followed by a list "
            "of `- spec: <glob over spec ids>` / `repo: <path>` entries."
        ) from exc


def linked_repo(spec_id: str, path: Path | None = None) -> Path | None:
    """The first link whose glob matches the spec id, resolved to an absolute path."""
    path = path or links_file()
    for link in load_code_links(path):
        if fnmatch.fnmatchcase(spec_id, link.spec):
            repo = Path(link.repo)
            return repo if repo.is_absolute() else (path.parent.parent / repo).resolve()
    return None


def ci_results_dir(home: Settings | Path, spec_id: str) -> Path:
    """Folder where JUnit XML from CI for one spec is dropped (by hand or by the git sensors),
    under the state home (`AGENTOPS_HOME`)."""
    root = home.home if isinstance(home, Settings) else Path(home)
    return root / "ci_results" / spec_id.replace("/", "__")
