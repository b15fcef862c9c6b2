"""Spec assets on a Dagster instance backed by the real PostgreSQL that scripts/test.sh starts,
configured by the shipped deploy/dagster/dagster.yaml."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import dagster as dg
import pytest

from agentops_pipelines.definitions import defs
from tests.conftest import PROJECT_ROOT
from tests.pg_support import fresh_database
from tests.pipeline.spec_fixtures import OPENSPEC, PLAIN

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with fresh_database() as (admin_url, name):
        parts = urlparse(admin_url)
        monkeypatch.setenv("AGENTOPS_PG_HOST", parts.hostname or "127.0.0.1")
        monkeypatch.setenv("AGENTOPS_PG_PORT", str(parts.port or 5432))
        monkeypatch.setenv("AGENTOPS_PG_USER", parts.username or "postgres")
        monkeypatch.setenv("AGENTOPS_PG_PASSWORD", parts.password or "")
        monkeypatch.setenv("AGENTOPS_PG_DB", name)
        yield name


def test_materialisations_persist_in_postgres(pg_database, agentops_home, tmp_path, monkeypatch):
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "exports.md").write_text(OPENSPEC)
    (specs / "notify.md").write_text(PLAIN)
    monkeypatch.setenv("AGENTOPS_SPECS_PATH", str(specs))
    home = Path(os.environ["DAGSTER_HOME"])
    shutil.copy(PROJECT_ROOT / "deploy" / "dagster" / "dagster.yaml", home / "dagster.yaml")

    writer = dg.DagsterInstance.from_config(str(home))
    writer.add_dynamic_partitions("spec", ["exports.md", "notify.md"])
    job = defs().resolve_job_def("spec_ingest_job")
    for key in ("exports.md", "notify.md"):
        assert job.execute_in_process(partition_key=key, instance=writer).success
    writer.dispose()

    reader = dg.DagsterInstance.from_config(str(home))
    assert "postgres" in type(reader.event_log_storage).__module__
    assert set(reader.get_dynamic_partitions("spec")) == {"exports.md", "notify.md"}
    records = reader.fetch_materializations(dg.AssetKey("spec_document"), limit=10).records
    by_partition = {r.partition_key: r.asset_materialization for r in records}
    assert set(by_partition) == {"exports.md", "notify.md"}
    assert by_partition["exports.md"].metadata["requirements"].value == 2
    assert by_partition["exports.md"].metadata["format"].value == "openspec"
    runs = reader.get_runs(filters=dg.RunsFilter(job_name="spec_ingest_job"))
    assert len(runs) == 2 and all(r.is_success for r in runs)
    reader.dispose()
