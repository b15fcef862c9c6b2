"""Marketplace errors. Each carries every problem found, each phrased as what to fix."""

from __future__ import annotations


class MarketplaceError(ValueError):
    """Base class; `problems` lists every finding so a user fixes them all in one go."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class UploadRejected(MarketplaceError):
    """An upload failed an automatic check (schema, size, zip safety, secrets, banned content)."""


class NotFound(MarketplaceError):
    """No template, version, fork or review by that name."""


class Forbidden(MarketplaceError):
    """The actor may not do this (not a moderator, not the author, paid and not bought)."""


class Conflict(MarketplaceError):
    """The request clashes with the stored state (version exists, already decided...)."""
