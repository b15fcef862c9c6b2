"""The billing_0001 migration creates exactly what the ORM models declare (no drift)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import agentops_pipelines.billing.tables  # noqa: F401 - registers the billing tables
from agentops_pipelines.store.db import Base, make_engine, migrate


def test_billing_migration_matches_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrate(url)
    with make_engine(url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)

    def billing(entry: object) -> bool:
        return "billing_" in repr(entry)

    assert [d for d in diff if billing(d)] == []
