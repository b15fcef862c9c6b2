"""Ten templates written by the AgentOps team, published in every fresh catalog.

They go through the same automatic checks as any upload (so they prove the checks accept
ordinary templates) and skip only the human queue. Seeding is idempotent: a template whose
version already exists is left alone, and a changed seed file ships as a new version.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from agentops_pipelines.marketplace.catalog import SessionFactory
from agentops_pipelines.marketplace.errors import Conflict
from agentops_pipelines.marketplace.models import semver_key
from agentops_pipelines.marketplace.moderation import store
from agentops_pipelines.marketplace.tables import TemplateRow, VersionRow
from agentops_pipelines.marketplace.upload import validate_upload

SEED_DIR = Path(__file__).parent
SEED_AUTHOR = "agentops"


def seed_files() -> list[Path]:
    return sorted(SEED_DIR.glob("*.md"))


def seed_catalog(sf: SessionFactory) -> int:
    """Store every seed template not yet in the catalog at its version; returns how many."""
    added = 0
    for path in seed_files():
        validated = validate_upload(path.name, path.read_bytes())
        with sf() as session:
            known = session.scalars(
                select(VersionRow.version)
                .join(TemplateRow, TemplateRow.id == VersionRow.template_id)
                .where(TemplateRow.slug == validated.slug)
            ).all()
        if validated.meta.version in known or any(
            semver_key(k) > semver_key(validated.meta.version) for k in known
        ):
            continue
        try:
            store(sf, validated, SEED_AUTHOR, trusted=True)
        except (IntegrityError, Conflict):
            continue  # another process (API, Streamlit) seeded it at the same moment
        added += 1
    return added
