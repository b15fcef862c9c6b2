"""Fixtures of the KPI tests: the session's built warehouse, and the env pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from warehouse_build import BuiltWarehouse, build_warehouse


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    yield from build_warehouse(tmp_path_factory)


@pytest.fixture
def kpi_env(built_warehouse: BuiltWarehouse, monkeypatch: pytest.MonkeyPatch) -> BuiltWarehouse:
    for key, value in built_warehouse.env.items():
        monkeypatch.setenv(key, value)
    return built_warehouse
