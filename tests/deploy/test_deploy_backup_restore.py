"""scripts/backup.sh against the real PostgreSQL: back up the app store, the Dagster instance
database and the artefact root, lose them, restore into fresh databases, compare, and print the
measured recovery time (the RTO figure in deploy/README.md)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import create_engine, text

from agentops_pipelines.store.db import migrate
from tests.conftest import PROJECT_ROOT
from tests.pg_support import fresh_database, sqlalchemy_url

pytestmark = pytest.mark.postgres
INBOX_ROWS = 20_000


def _instance_yaml(url: str) -> str:
    return f"storage:\n  postgres:\n    postgres_url: {url.replace('+psycopg2', '')}\n"


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _snapshot(app_url: str) -> list:
    engine = create_engine(app_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT count(*), max(id), md5(string_agg(delivery_id, ',' ORDER BY id)) "
                "FROM webhook_inbox"
            )
        ).one()
        heads = sorted(r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version")))
    engine.dispose()
    return [tuple(rows), heads]


def _run(mode: str, folder: Path, env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "backup.sh"), mode, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return time.perf_counter() - started


def test_backup_then_restore_into_fresh_databases(tmp_path: Path) -> None:
    with (
        fresh_database("agentops_bk_app") as (admin, app_db),
        fresh_database("agentops_bk_dagster") as (_, dagster_db),
        fresh_database("agentops_rs_app") as (_, app_db2),
        fresh_database("agentops_rs_dagster") as (_, dagster_db2),
    ):
        app_url, dagster_url = sqlalchemy_url(admin, app_db), sqlalchemy_url(admin, dagster_db)
        # State worth keeping: the schema, inbox rows, a Dagster instance, artefacts.
        migrate(app_url)
        engine = create_engine(app_url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO webhook_inbox (delivery_id, event, received_at, payload, status) "
                    "SELECT 'd-' || g, 'push', now(), repeat('payload ', 20), 'processed' "
                    f"FROM generate_series(1, {INBOX_ROWS}) g"
                )
            )
        engine.dispose()
        home = tmp_path / "dagster"
        home.mkdir()
        (home / "dagster.yaml").write_text(_instance_yaml(dagster_url))
        with dg.DagsterInstance.from_config(str(home)) as instance:
            instance.add_dynamic_partitions("spec", [f"spec-{i}.md" for i in range(200)])
        artefacts = tmp_path / "artefacts"
        for i in range(300):
            path = artefacts / "spec_document" / f"spec-{i}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"requirements": [i]}))
        expected_rows, expected_tree = _snapshot(app_url), _tree_digest(artefacts)

        env = os.environ | {
            "AGENTOPS_DB_URL": app_url,
            "AGENTOPS_DAGSTER_PG_URL": dagster_url,
            "AGENTOPS_ARTEFACT_ROOT": str(artefacts),
        }
        backup_s = _run("backup", tmp_path / "backup", env)

        # Disaster: the artefacts are gone; restore onto new, empty databases.
        shutil.rmtree(artefacts)
        target = env | {
            "AGENTOPS_DB_URL": sqlalchemy_url(admin, app_db2),
            "AGENTOPS_DAGSTER_PG_URL": sqlalchemy_url(admin, dagster_db2),
        }
        rto_s = _run("restore", tmp_path / "backup", target)

        assert _snapshot(target["AGENTOPS_DB_URL"]) == expected_rows
        assert expected_rows[0][0] == INBOX_ROWS
        assert _tree_digest(artefacts) == expected_tree
        (home / "dagster.yaml").write_text(_instance_yaml(target["AGENTOPS_DAGSTER_PG_URL"]))
        with dg.DagsterInstance.from_config(str(home)) as restored:
            assert len(restored.get_dynamic_partitions("spec")) == 200

        # A tampered backup is refused before anything is overwritten.
        with (tmp_path / "backup" / "app.dump").open("ab") as dump:
            dump.write(b"x")
        refused = subprocess.run(
            [
                "bash",
                str(PROJECT_ROOT / "scripts" / "backup.sh"),
                "restore",
                str(tmp_path / "backup"),
            ],
            env=target,
            capture_output=True,
            text=True,
        )
        assert refused.returncode != 0 and "FAILED" in refused.stdout + refused.stderr
        assert "postgresql://agentops" not in refused.stdout + refused.stderr
        size = sum(p.stat().st_size for p in (tmp_path / "backup").iterdir())
        print(
            f"backup {backup_s:.2f} s, restore (RTO) {rto_s:.2f} s, {size / 1e6:.1f} MB, "
            f"{INBOX_ROWS} inbox rows + Dagster instance + 300 artefacts, "
            f"load {Path('/proc/loadavg').read_text().split()[0]}"
        )
