"""The app store's schema on both databases: Alembic heads, the ORM models and the deploy step."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from agentops_pipelines.store.db import MIGRATIONS, Base, make_engine, migrate, schema_heads

TABLE_MODULES = (
    "agentops_pipelines.gitops.inbox.tables",
    "agentops_pipelines.gitops.change_tables",
    "agentops_pipelines.marketplace.tables",
    "agentops_pipelines.llm.tables",
    "agentops_pipelines.retrieval.query_log",
    "agentops_pipelines.billing.tables",
    "agentops_pipelines.assistant.tables",
    "agentops_pipelines.features",
    "agentops_pipelines.connect.tables",
)


def _script_heads() -> list[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return sorted(ScriptDirectory.from_config(config).get_heads())


def test_upgrade_reaches_every_branch_head_and_is_idempotent(store_url: str) -> None:
    assert schema_heads(store_url) == []
    migrate(store_url)
    assert schema_heads(store_url) == _script_heads()
    migrate(store_url)  # a second deploy step changes nothing
    assert schema_heads(store_url) == _script_heads()


def test_migrated_schema_matches_the_models(store_url: str) -> None:
    """Alembic's own comparison: no table or column the models have and the migrations lack."""
    for module in TABLE_MODULES:
        importlib.import_module(module)
    migrate(store_url)
    engine = make_engine(store_url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    # What a model declares but the migrations never create (tables the migrations create for
    # Core-only use, e.g. audit_log, are fine).
    missing = [d for d in diffs if d[0] in ("add_table", "add_column")]
    assert missing == []
    assert set(Base.metadata.tables) <= set(inspect(make_engine(store_url)).get_table_names())


def _upgrade_in_process(url: str) -> list[str]:
    migrate(url)
    return schema_heads(url)


def test_processes_starting_together_all_find_the_heads(store_url: str) -> None:
    """API workers, the code server and the daemon may start at once; none may fail."""
    with ProcessPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(_upgrade_in_process, [store_url] * 3))
    assert results == [_script_heads()] * 3


def test_rows_round_trip(store_url: str) -> None:
    from agentops_pipelines.gitops.links.repo_links import RepoLink, list_links, save_link
    from agentops_pipelines.store.db import open_store

    sessions = open_store(store_url)
    save_link(sessions, RepoLink(repo="acme/specs", remote_url="https://example.test/s.git"))
    save_link(sessions, RepoLink(repo="acme/specs", remote_url="https://example.test/t.git"))
    [link] = list_links(sessions)
    assert link.remote_url == "https://example.test/t.git"
    with sessions() as session:
        assert session.execute(text("SELECT count(*) FROM gitops_repo_links")).scalar_one() == 1


def test_cli_upgrade_is_the_deploy_step(store_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTOPS_")}
    env |= {"AGENTOPS_HOME": str(tmp_path / "home"), "AGENTOPS_DB_URL": store_url}
    agentops = Path(sys.executable).parent / "agentops"
    done = subprocess.run([str(agentops), "db", "upgrade"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "at heads" in done.stdout
    assert schema_heads(store_url) == _script_heads()
    shown = subprocess.run(
        [str(agentops), "db", "current"], env=env, capture_output=True, text=True
    )
    assert shown.stdout.split() == [h + "," for h in _script_heads()[:-1]] + _script_heads()[-1:]


def test_cli_upgrade_failure_names_the_database_without_its_password(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTOPS_")}
    url = "postgresql+psycopg2://agentops:s3cr3t-pw@127.0.0.1:9/nowhere"
    env |= {"AGENTOPS_HOME": str(tmp_path / "home"), "AGENTOPS_DB_URL": url}
    agentops = Path(sys.executable).parent / "agentops"
    done = subprocess.run([str(agentops), "db", "upgrade"], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    out = " ".join((done.stdout + done.stderr).split())
    assert "127.0.0.1:9/nowhere" in out and "reachable" in out
    assert "s3cr3t-pw" not in out


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, {"pool_size": 5, "max_overflow": 5}),
        (
            {"AGENTOPS_DB_POOL_SIZE": "2", "AGENTOPS_DB_MAX_OVERFLOW": "0"},
            {"pool_size": 2, "max_overflow": 0},
        ),
    ],
)
def test_pool_is_sized_per_process(environ: dict, expected: dict) -> None:
    from agentops_pipelines.store.engine import pool_options

    options = pool_options(environ)
    assert {k: options[k] for k in expected} == expected


def test_pgbouncer_mode_and_bad_sizes() -> None:
    from sqlalchemy.pool import NullPool

    from agentops_pipelines.store.engine import pool_options

    assert pool_options({"AGENTOPS_DB_POOL": "null"}) == {"poolclass": NullPool}
    with pytest.raises(ValueError, match="AGENTOPS_DB_POOL_SIZE='many'"):
        pool_options({"AGENTOPS_DB_POOL_SIZE": "many"})
    with pytest.raises(ValueError, match="queue or null"):
        pool_options({"AGENTOPS_DB_POOL": "bouncer"})


def test_engine_on_postgres_uses_the_sized_pool(store_url: str, monkeypatch) -> None:
    monkeypatch.setenv("AGENTOPS_DB_POOL_SIZE", "3")
    engine = make_engine(store_url)
    if engine.dialect.name == "postgresql":
        assert engine.pool.size() == 3  # type: ignore[attr-defined]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    engine.dispose()
