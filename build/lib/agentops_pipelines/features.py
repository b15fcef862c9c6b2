"""Feature toggles per workspace: Marketplace and SpecGPT can be switched off per workspace.

A feature nobody touched is enabled (opt-out), so a fresh install shows everything. Each change is
written to the shared `audit_log` so an operator can see who switched what, and when.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Boolean, DateTime, String, column, insert, select, table
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from agentops_pipelines.store.db import Base

MARKETPLACE = "marketplace"
SPECGPT = "specgpt"
FEATURES: tuple[str, ...] = (MARKETPLACE, SPECGPT)

_audit = table(
    "audit_log",
    column("at", DateTime(timezone=True)),
    column("actor", String),
    column("action", String),
    column("subject", String),
    column("detail", JSON),
)


class WorkspaceFeatureRow(Base):
    __tablename__ = "workspace_feature"
    workspace: Mapped[str] = mapped_column(String(200), primary_key=True)
    feature: Mapped[str] = mapped_column(String(100), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _check(workspace: str, feature: str) -> None:
    """Typos in a feature name would silently toggle nothing: refuse them with the valid list."""
    if feature not in FEATURES:
        raise ValueError(f"feature {feature!r} is unknown; use one of {', '.join(FEATURES)}")
    if not workspace or not workspace.strip():
        raise ValueError("workspace is empty; pass the workspace name the toggle applies to")


def feature_enabled(session_factory: sessionmaker[Session], workspace: str, feature: str) -> bool:
    """True unless the feature was explicitly switched off for this workspace."""
    _check(workspace, feature)
    with session_factory() as session:
        row = session.get(WorkspaceFeatureRow, (workspace, feature))
        return True if row is None else bool(row.enabled)


def set_feature(
    session_factory: sessionmaker[Session],
    workspace: str,
    feature: str,
    enabled: bool,
    actor: str,
) -> None:
    """Switch a feature on or off for one workspace and record the change in the audit log."""
    _check(workspace, feature)
    now = datetime.now(UTC)
    with session_factory.begin() as session:
        row = session.get(WorkspaceFeatureRow, (workspace, feature))
        if row is None:
            session.add(
                WorkspaceFeatureRow(
                    workspace=workspace,
                    feature=feature,
                    enabled=enabled,
                    updated_by=actor,
                    updated_at=now,
                )
            )
        else:
            row.enabled, row.updated_by, row.updated_at = enabled, actor, now
        session.execute(
            insert(_audit).values(
                at=now,
                actor=actor,
                action="feature.enable" if enabled else "feature.disable",
                subject=f"workspace:{workspace}/{feature}",
                detail={"workspace": workspace, "feature": feature, "enabled": enabled},
            )
        )


def workspace_features(session_factory: sessionmaker[Session], workspace: str) -> dict[str, bool]:
    """Every known feature with its effective state for one workspace (for settings screens)."""
    with session_factory() as session:
        rows = session.scalars(
            select(WorkspaceFeatureRow).where(WorkspaceFeatureRow.workspace == workspace)
        ).all()
    explicit = {r.feature: bool(r.enabled) for r in rows}
    return {f: explicit.get(f, True) for f in FEATURES}
