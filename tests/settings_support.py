"""Settings are read once per process (`get_settings()`); a test that changes the environment
must see its change. `follow_environment` makes a test's `monkeypatch.setenv`/`delenv` forget
the cached read each time, and `changed_environment` does the same for code that edits
`os.environ` by hand."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from agentops_pipelines.settings import reset_settings


def follow_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    setenv, delenv = monkeypatch.setenv, monkeypatch.delenv

    def _setenv(name: str, value: str, prepend: str | None = None) -> None:
        setenv(name, value, prepend)
        reset_settings()

    def _delenv(name: str, raising: bool = True) -> None:
        delenv(name, raising)
        reset_settings()

    monkeypatch.setenv = _setenv  # type: ignore[method-assign]
    monkeypatch.delenv = _delenv  # type: ignore[method-assign]
    reset_settings()


@contextmanager
def changed_environment(**values: str | None) -> Iterator[None]:
    """Set (or, with None, remove) variables for the block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reset_settings()
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reset_settings()
