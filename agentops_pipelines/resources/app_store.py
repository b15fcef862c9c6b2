"""The configured door to the app store (SQLAlchemy URL, read replica, workspace, plan limits)."""

from __future__ import annotations

import dagster as dg
from sqlalchemy.orm import sessionmaker

from agentops_pipelines.settings import Settings
from agentops_pipelines.store.db import open_store


class AppStoreResource(dg.ConfigurableResource):
    """Sessions come from `open_store`, the one factory: one engine per process and URL, the
    schema migrated once per process."""

    url: str
    # A read replica (or PgBouncer in front of one) for bulk reads: the KPI extract.
    read_url: str | None = None
    workspace: str = "default"
    plan_limits: bool = False

    def sessions(self) -> sessionmaker:
        return open_store(self.url)

    def bulk_read_url(self) -> str:
        return self.read_url or self.url


def build_app_store(settings: Settings) -> AppStoreResource:
    return AppStoreResource(
        url=settings.app_db_url,
        read_url=settings.app_db_read_url,
        workspace=settings.workspace,
        plan_limits=settings.plan_limits,
    )
