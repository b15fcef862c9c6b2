"""`.agentops.yml` at a repository's root: the settings that override auto-detection.

A plain Pydantic model with optional fields only, so each concern (spec discovery here; setup and
test commands elsewhere) adds its own keys. Unknown keys are refused with an error that names
the key and the file, because a misspelt key that is silently ignored looks like a product bug.

```yaml
specs:
  include: ["docs/specs/**/*.md"]   # only these files are specs (layouts still give companions)
  exclude: ["specs/999-draft-*/**"] # never specs; reported as skipped "excluded by ..."
```
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agentops_pipelines.repos.envsettings import SETTINGS_FILE, RepoEnvSettings
from agentops_pipelines.repos.errors import RepoSettingsError


class SpecDiscoverySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    include: list[str] | None = Field(
        default=None,
        description="Globs (relative to the repo root) of the only files taken as specs",
    )
    exclude: list[str] | None = Field(
        default=None, description="Globs of files never taken as specs"
    )


class RepoSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    specs: SpecDiscoverySettings | None = None
    environment: RepoEnvSettings | None = None


def find_settings_file(start: Path) -> Path | None:
    """`.agentops.yml` in `start` or the nearest parent, not beyond the enclosing git root."""
    folder = Path(start).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / SETTINGS_FILE
        if path.is_file():
            return path
        if (candidate / ".git").exists():
            return None
    return None


def load_repo_settings(path: Path | None) -> RepoSettings:
    """Read and validate a settings file; None (no file) gives the defaults."""
    if path is None or not path.is_file():
        return RepoSettings()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RepoSettingsError(f"{path}: cannot read it as YAML ({exc}); fix the syntax") from exc
    if not isinstance(data, dict):
        raise RepoSettingsError(f"{path}: expected a mapping of settings at the top level")
    try:
        return RepoSettings.model_validate(data)
    except ValidationError as exc:
        raise RepoSettingsError(_describe(path, exc)) from exc


def _describe(path: Path, exc: ValidationError) -> str:
    first = exc.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(top level)"
    if first["type"] == "extra_forbidden":
        known = _known_keys(first["loc"])
        return f"{path}: unknown key {key!r}; known keys here: {', '.join(known)}"
    return f"{path}: key {key!r}: {first['msg']}"


def _known_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The field names valid at the parent of the rejected key, for the error message."""
    model: type[BaseModel] = RepoSettings
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        inner = next(
            (
                a
                for a in getattr(annotation, "__args__", ())
                if isinstance(a, type) and issubclass(a, BaseModel)
            ),
            None,
        )
        if inner is None:
            break
        model = inner
    return sorted(model.model_fields)
