"""The configured door to the spec files: a local folder or a local git clone."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from agentops_pipelines.specs.source import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, SpecFolder


class SpecSource(dg.ConfigurableResource):
    """Where the specs live; `include`/`exclude` are glob patterns relative to `path`."""

    path: str
    include: list[str] = list(DEFAULT_INCLUDE)
    exclude: list[str] = list(DEFAULT_EXCLUDE)

    def folder(self) -> SpecFolder:
        return SpecFolder(Path(self.path), self.include, self.exclude)


class ArtefactRoot(dg.ConfigurableResource):
    """The artefact root, for assets that read an earlier version of their own output."""

    path: str
    # The state home (AGENTOPS_HOME: CI result drops); unset: the artefact root's parent.
    home: str | None = None

    def state_home(self) -> Path:
        return Path(self.home) if self.home else Path(self.path).parent
