"""The `environment:` section of a repository's `.agentops.yml`: how to build and run its tests.

Everything is optional; auto-detection fills the gaps. Example:

    environment:
      setup: ["pip", "install", "-e", ".[test]"]   # replaces the detected install (network on)
      test: ["python", "-m", "pytest", "-q", "--junitxml={junit}", "tests/unit"]
      test_paths: ["tests/unit"]                      # what the detected runner collects
      env: {APP_MODE: test}                           # plain values, never secrets
      timeouts: {setup: 900, test: 600}               # seconds
      python: "3.12"                                  # interpreter to look for
      node: "24"                                      # Node range (else .nvmrc, engines, CI)
      services:
        - name: postgres
          tests: ["tests/integration/**"]             # reported as environment problems
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agentops_pipelines.repos.errors import RepoSettingsError

SETTINGS_FILE = ".agentops.yml"


# One error family for the whole settings file (see repos/errors.py).
RepoEnvSettingsError = RepoSettingsError


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
    node: str | None = Field(default=None, description="Node range, e.g. '24' or '>=22.12'")
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
        return repr((self.setup, self.python, self.node))


def load_env_settings(repo: Path) -> RepoEnvSettings:
    """The `environment:` section of the repo's `.agentops.yml` (defaults when absent)."""
    from agentops_pipelines.repos.settings import load_repo_settings  # settings imports this

    settings = load_repo_settings(repo / SETTINGS_FILE)
    return settings.environment or RepoEnvSettings()
