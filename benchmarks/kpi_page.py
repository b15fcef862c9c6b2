"""KPI page render time over a large ledger: seeds N ledger rows (default 1,000,000) straight
into the warehouse's raw layer (the shape the extract writes), builds the marts with `dbt build`,
then renders the KPI & costs page server-side with Streamlit's AppTest, cold (empty cache, first
DuckDB reads) and warm (cache hits, as every rerun after the first). Last line:
render_cold_ms=<v> render_warm_ms=<v>   (target: warm <= 1000 ms at 1M rows)."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from streamlit.testing.v1 import AppTest  # noqa: E402

from agentops_pipelines.store.db import make_engine, migrate  # noqa: E402
from agentops_pipelines.warehouse import (  # noqa: E402
    DBT_PROJECT_DIR,
    dbt_executable,
    dbt_profiles_dir,
    writer,
)
from agentops_pipelines.warehouse.app_store import extract_app_store  # noqa: E402
from agentops_pipelines.warehouse.artefacts import snapshot_artefacts  # noqa: E402
from agentops_pipelines.warehouse.runs import write_runs  # noqa: E402

PAGE = REPO / "streamlit_app" / "app_pages" / "kpi.py"
DAYS, WORKSPACES, SPECS = 90, 8, 50


def _raw_layer(home: Path, rows: int) -> None:
    """Empty raw tables from a migrated app store, then N ledger rows generated in DuckDB."""
    url = f"sqlite:///{home / 'app.db'}"
    migrate(url)
    today = datetime.now(UTC).date()
    with writer(home / "warehouse.duckdb") as conn:
        extract_app_store(make_engine(url), conn, today)
        write_runs(conn, today, [])
        snapshot_artefacts(conn, home / "artefacts", today)
        conn.execute(
            f"""
            insert into raw.llm_ledger
            select i, now()::timestamp - to_days((i % {DAYS})::integer) - to_seconds(i % 86000),
                'h' || (i % 200000), 'ws-' || (i % {SPECS}) % {WORKSPACES},
                'spec-' || (i % {SPECS}) || '/spec.md', 'run-' || (i // 50),
                ['plan', 'codegen', 'summary', 'review', 'qa', 'search'][(i % 6) + 1],
                ['openai', 'mistral', 'local'][(i % 3) + 1],
                ['m-small', 'm-large'][(i // 3 % 2) + 1],
                1, 800 + i % 400, 150 + i % 100,
                case when i % 10 = 0 then 0 else 200 + i % 5000 end,
                '2026-01', 50 + (i % 900), i % 10 = 0,
                case when i % 10 = 0 then 'cache_hit' when i % 37 = 0 then 'error' else 'ok' end,
                case when i % 37 = 0 and i % 10 <> 0 then 'timeout' end,
                (now()::timestamp - to_days((i % {DAYS})::integer))::date, now()::timestamp
            from range({rows}) t(i)
            """
        )
        conn.execute(
            "insert into raw.llm_budget select 'workspace', 'ws-' || i, 500000000, 0, 0, "
            "current_date, now()::timestamp from range(?) t(i)",
            [WORKSPACES],
        )


def _dbt_build(home: Path) -> float:
    env = os.environ | {"AGENTOPS_WAREHOUSE": str(home / "warehouse.duckdb")}
    started = time.perf_counter()
    subprocess.run(
        [
            dbt_executable(),
            "build",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(dbt_profiles_dir()),
            "--target-path",
            str(home / "dbt-target"),
        ],
        env=env,
        check=True,
        cwd=DBT_PROJECT_DIR,
    )
    return time.perf_counter() - started


def _render_ms(app: AppTest) -> float:
    started = time.perf_counter()
    app.run()
    elapsed = (time.perf_counter() - started) * 1000
    if app.exception:
        raise SystemExit(f"KPI page failed: {[e.value for e in app.exception]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--warm-runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.environ.update(
            AGENTOPS_HOME=str(home),
            AGENTOPS_WAREHOUSE=str(home / "warehouse.duckdb"),
            AGENTOPS_LOG_FORMAT="plain",
        )
        started = time.perf_counter()
        _raw_layer(home, args.rows)
        print(f"seeded {args.rows} ledger rows in {time.perf_counter() - started:.1f}s")
        print(f"dbt build (all models and tests) in {_dbt_build(home):.1f}s")
        # Cold: a fresh session, empty st.cache_data, DuckDB reads; it includes AppTest's own
        # one-off start-up (a scan of installed packages for components). Warm: reruns of that
        # session, as Streamlit does on every widget change, served from the cache.
        app = AppTest.from_file(str(PAGE), default_timeout=600)
        cold = _render_ms(app)
        warm = [_render_ms(app) for _ in range(args.warm_runs)]
        print(f"cold render {cold:.0f} ms; warm renders {[round(w) for w in warm]} ms")
        print(f"render_cold_ms={cold:.0f} render_warm_ms={statistics.median(warm):.0f}")


if __name__ == "__main__":
    main()
