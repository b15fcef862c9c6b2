"""The `environment:` section of a repository's `.agentops.yml`: how to build and run its tests.

Everything is optional; auto-detection fills the gaps. Example:

    environment:
      setup: ["pip", "install", "-e", ".[test]"]   # replaces the detected install (network on)
      test: ["python", "-m", "pytest", "-q", "--junitxml={junit}", "tests/unit"]
      test_paths: ["tests/unit"]                      # what the detected runner collects
      env: {APP_MODE: test}                           # plain values, never secrets
      timeouts: {setup: 900, test: 600}               # seconds
      python: "3.12"                                  # interpreter to look for
      services:
        - name: postgres
          tests: ["tests/integration/**"]             # reported as environment problems
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SETTINGS_FILE = ".agentops.yml"


class RepoEnvSettingsError(ValueError):
    """The settings file is there but unreadable; the message names it and the fix."""


class Timeouts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    setup: float = Field(default=1800, gt=0, description="install step, seconds")
    test: float = Field(default=600, gt=0, description="one test run, seconds")


class Service(BaseModel):
    """A service the suite needs (a database, Redis): the sandbox has no network, so its tests
    are reported as environment problems, never as requirement failures."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    tests: list[str] = Field(default_factory=list, description="globs of test files needing it")


class RepoEnvSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    setup: list[str] | None = None
    test: list[str] | None = Field(default=None, description="must contain {junit}")
    test_paths: list[str] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    timeouts: Timeouts = Field(default_factory=Timeouts)
    python: str | None = None
    services: list[Service] = Field(default_factory=list)

    @field_validator("test")
    @classmethod
    def _junit_placeholder(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not any("{junit}" in part for part in value):
            raise ValueError(
                "the test command must say where the JUnit report goes: put {junit} in it, "
                "e.g. --junitxml={junit} (pytest) or --outputFile.junit={junit} (vitest)"
            )
        return value

    @field_validator("env")
    @classmethod
    def _no_secrets(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if any(word in key.upper() for word in ("TOKEN", "SECRET", "PASSWORD", "API_KEY")):
                raise ValueError(
                    f"env {key!r} looks like a secret; the test sandbox gets plain settings only "
                    "(tests needing credentials are environment problems)"
                )
        return value

    def digest_input(self) -> str:
        """The part of the settings that changes what gets installed."""
        return repr((self.setup, self.python))


def load_env_settings(repo: Path) -> RepoEnvSettings:
    path = repo / SETTINGS_FILE
    if not path.is_file():
        return RepoEnvSettings()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RepoEnvSettingsError(
            f"{path}: cannot read it as YAML ({exc}); fix the syntax"
        ) from exc
    if not isinstance(data, dict):
        raise RepoEnvSettingsError(f"{path}: expected a mapping at the top level")
    try:
        return RepoEnvSettings.model_validate(data.get("environment") or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise RepoEnvSettingsError(
            f"{path}: invalid environment settings at environment.{where}: {first['msg']}"
        ) from exc
