"""Ingest throughput of N specs on four paths, in one run, on the same PostgreSQL:

* in_process   what `agentops ingest` did: spec_ingest_job executed in this process, one spec
               after another (`execute_in_process`);
* single_run   what `agentops ingest` does against a deployment (AGENTOPS_DAGSTER_URL): one
               asset backfill of raw_spec + spec_document over the N partitions (GraphQL); their
               `BackfillPolicy.single_run()` makes the daemon launch ONE run for all of them
               (Dagster's multiprocess executor, one process per asset step);
* multiprocess one queued spec_ingest_job run per spec, launched by the daemon
               (QueuedRunCoordinator, 4 at a time) from the gRPC code server;
* celery       the same per-spec runs, steps on two dagster-celery workers (Redis broker).

The modes that pay a run per spec (in_process, multiprocess, celery) cost seconds per spec on a
loaded 2-core machine, so `--per-run-specs` gives them a smaller N than `--specs` (single_run)
within the same invocation; their time is linear in N, so specs/s compare. A mode may name its
own N (`single_run:8`), and the output says which N each mode ran.

Each mode gets a fresh Dagster database, artefact root and spec copy; the sensors are stopped so
only the submitted runs execute. Prints specs/s, seconds per spec, the per-spec overhead (time
per spec minus the domain work: loading and parsing the spec outside Dagster) and the ratio to
in_process. Needs AGENTOPS_TEST_PG_URL (scripts/postgres.sh) and redis-server.

    AGENTOPS_TEST_PG_URL=postgresql://agentops@127.0.0.1:55432/postgres \\
      .venv/bin/python benchmarks/ingest_throughput.py --specs 1000 --per-run-specs 40
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.redis_server import redis_server  # noqa: E402
from tests.deploy.services import Services, free_port  # noqa: E402
from tests.pg_support import fresh_database  # noqa: E402

BIN = Path(sys.executable).parent
SENSORS = ("spec_source_sensor", "spec_push_sensor", "spec_automation_sensor", "ci_results_sensor")


def make_specs(folder: Path, n: int) -> list[str]:
    """N distinct specs from the bundled samples (a numbered title keeps each one unique)."""
    samples = sorted((ROOT / "examples" / "specs").rglob("*.md"))
    samples = [p for p in samples if p.name != "README.md"]
    keys = []
    for i in range(n):
        sample = samples[i % len(samples)]
        key = f"bench-{i:04d}/{sample.name}"
        path = folder / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!-- benchmark copy {i} -->\n" + sample.read_text())
        keys.append(key)
    return keys


def domain_seconds(folder: Path, keys: list[str]) -> float:
    """The work itself, without any orchestration: load (redact) and parse every spec."""
    from agentops_pipelines.specs.ingest import build_document, load_raw_spec
    from agentops_pipelines.specs.source import SpecFolder

    source = SpecFolder(folder)
    started = time.perf_counter()
    for key in keys:
        build_document(load_raw_spec(source, key), None)
    return time.perf_counter() - started


def base_env(tmp: Path, admin_url: str, db: str, specs: Path) -> dict[str, str]:
    pg = urlparse(admin_url)
    home = tmp / "home"
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AGENTOPS_", "DAGSTER_"))}
    return keep | {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "PYTHONPATH": str(ROOT),
        "AGENTOPS_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "AGENTOPS_SPECS_PATH": str(specs),
        "AGENTOPS_DB_URL": f"sqlite:///{home / 'app.db'}",
        "AGENTOPS_PG_HOST": pg.hostname or "127.0.0.1",
        "AGENTOPS_PG_PORT": str(pg.port or 5432),
        "AGENTOPS_PG_USER": pg.username or "postgres",
        "AGENTOPS_PG_PASSWORD": pg.password or "",
        "AGENTOPS_PG_DB": db,
        "AGENTOPS_LOG_FORMAT": "plain",
        # On a loaded machine launching a run through the code server can take over a minute.
        "DAGSTER_GRPC_TIMEOUT_SECONDS": "300",
    }


def prepare_instance(env: dict[str, str], keys: list[str]):
    import dagster as dg

    home = Path(env["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "deploy" / "dagster" / "dagster.yaml", home)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("AGENTOPS_", "DAGSTER_"))})
    instance = dg.DagsterInstance.from_config(str(home))
    instance.add_dynamic_partitions("spec", keys)
    return instance


def run_in_process(env: dict[str, str], keys: list[str]) -> float:
    from agentops_pipelines.definitions import defs

    instance = prepare_instance(env, keys)
    job = defs().resolve_job_def("spec_ingest_job")
    started = time.perf_counter()
    for key in keys:
        assert job.execute_in_process(partition_key=key, instance=instance).success, key
    elapsed = time.perf_counter() - started
    instance.dispose()
    return elapsed


def run_deployed(
    env: dict[str, str], keys: list[str], engine: str, broker: str | None, backfill: bool = False
) -> float:
    from agentops_pipelines.cli.ingest import SPEC_ASSETS
    from agentops_pipelines.runs.submit import (
        daemon_healthy,
        submit_backfill,
        submit_partitions,
        wait_for_backfill,
        wait_for_runs,
    )

    prepare_instance(env, keys).dispose()
    env = env | {"AGENTOPS_EXECUTOR": engine}
    if broker:
        env |= {"AGENTOPS_CELERY_BROKER": f"{broker}/0", "AGENTOPS_CELERY_BACKEND": f"{broker}/1"}
    tmp = Path(env["AGENTOPS_HOME"]).parent
    services = Services(tmp / "logs", env)
    code_port, web_port = free_port(), free_port()
    workspace = tmp / "workspace.yaml"
    workspace.write_text(
        "load_from:\n  - grpc_server:\n      host: 127.0.0.1\n"
        f"      port: {code_port}\n      location_name: agentops\n"
    )
    try:
        code = services.start(
            "code",
            [
                "dagster",
                "code-server",
                "start",
                "-m",
                "agentops_pipelines.definitions",
                "-h",
                "127.0.0.1",
                "-p",
                str(code_port),
                "--location-name",
                "agentops",
            ],
        )
        if broker:
            worker_yaml = str(ROOT / "deploy" / "celery" / "worker.yaml")
            for name in ("w1", "w2"):
                services.start(
                    name,
                    [
                        "dagster-celery",
                        "worker",
                        "start",
                        "-A",
                        "dagster_celery.app",
                        "-y",
                        worker_yaml,
                        "-n",
                        name,
                        "--",
                        "--concurrency=1",
                        "--without-gossip",
                        "--without-mingle",
                    ],
                )
        code.wait_port(code_port, 300)
        web = services.start(
            "web",
            ["dagster-webserver", "-w", str(workspace), "-h", "127.0.0.1", "-p", str(web_port)],
        )
        web.wait_http(f"http://127.0.0.1:{web_port}/server_info", 300)
        for sensor in SENSORS:
            argv = ["dagster", "sensor", "stop", sensor, "-w", str(workspace)]
            subprocess.run(argv, env=env, capture_output=True, check=True, timeout=300)
        services.start("daemon", ["dagster-daemon", "run", "-w", str(workspace)])
        url = f"http://127.0.0.1:{web_port}"
        deadline = time.monotonic() + 300
        while not daemon_healthy(url):
            if time.monotonic() > deadline:
                raise RuntimeError(f"daemon not healthy:\n{services.logs()}")
            time.sleep(2)
        if broker:
            time.sleep(10)  # workers connected (their start-up is not part of the figure)
        started = time.perf_counter()
        if backfill:
            backfill_id = submit_backfill(url, SPEC_ASSETS, keys, f"benchmark {len(keys)} specs")
            outcome = wait_for_backfill(url, backfill_id, timeout_s=7200)
            elapsed = time.perf_counter() - started
            runs_made = backfill_runs(env, backfill_id)
            if outcome != "COMPLETED_SUCCESS":
                raise RuntimeError(f"backfill {backfill_id}: {outcome}\n{services.logs()}")
            print(f"single_run: backfill {backfill_id} took {runs_made} run(s)", flush=True)
            return elapsed
        runs = submit_partitions(url, "spec_ingest_job", keys)
        status = wait_for_runs(url, runs, lambda _k, _s: None, timeout_s=7200)
        elapsed = time.perf_counter() - started
        failed = [k for k, s in status.items() if s != "SUCCESS"]
        if failed:
            raise RuntimeError(f"{len(failed)} runs failed, e.g. {failed[0]}:\n{services.logs()}")
        return elapsed
    finally:
        services.stop_all()


def backfill_runs(env: dict[str, str], backfill_id: str) -> int:
    import dagster as dg

    instance = dg.DagsterInstance.from_config(env["DAGSTER_HOME"])
    try:
        return instance.get_runs_count(dg.RunsFilter(tags={"dagster/backfill": backfill_id}))
    finally:
        instance.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=int, default=40, help="N for single_run")
    parser.add_argument(
        "--per-run-specs",
        type=int,
        default=0,
        help="N for in_process, multiprocess, celery (default: --specs)",
    )
    parser.add_argument(
        "--modes", default="in_process,single_run,multiprocess,celery", help="mode[:N],..."
    )
    args = parser.parse_args()
    results: dict[str, tuple[int, float]] = {}
    per_run = args.per_run_specs or args.specs
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="agentops-ingest-bench-") as scratch:
        base = Path(scratch)
        specs = base / "specs"
        plan = []
        for item in args.modes.split(","):
            mode, _, count = item.partition(":")
            plan.append(
                (item, mode, int(count or (args.specs if mode == "single_run" else per_run)))
            )
        keys = make_specs(specs, max(n for _, _, n in plan))
        domain = domain_seconds(specs, keys) / len(keys)
        for label, mode, count in plan:
            tmp = base / label.replace(":", "_")
            mode_keys = keys[:count]
            with fresh_database(f"bench_{mode}") as (admin, db):
                env = base_env(tmp, admin, db, specs)
                if mode == "in_process":
                    seconds = run_in_process(env, mode_keys)
                elif mode == "single_run":
                    seconds = run_deployed(env, mode_keys, "multiprocess", None, backfill=True)
                elif mode == "celery":
                    with redis_server(tmp / "redis") as broker:
                        seconds = run_deployed(env, mode_keys, "celery", broker)
                else:
                    seconds = run_deployed(env, mode_keys, "multiprocess", None)
            results[label] = (len(mode_keys), seconds)
            print(
                f"{label}: {len(mode_keys)} specs in {seconds:.1f} s load={os.getloadavg()[0]:.2f}",
                flush=True,
            )
    print(
        f"domain_work_s_per_spec={domain:.4f} load_before={load_before[0]:.2f} "
        f"load_after={os.getloadavg()[0]:.2f} (1-min load average)"
    )
    rate = {mode: n / seconds for mode, (n, seconds) in results.items()}
    reference = rate.get("in_process")
    for mode, (n, seconds) in results.items():
        ratio = f" vs_in_process={rate[mode] / reference:.2f}x" if reference else ""
        print(
            f"{mode:>12}: N={n} {rate[mode]:.3f} specs/s, {seconds / n:.3f} s/spec, "
            f"overhead {seconds / n - domain:.3f} s/spec{ratio}"
        )
    best = max(rate, key=lambda m: rate[m])
    print(" ".join(f"{m}_specs_per_s={r:.3f}" for m, r in rate.items()) + f" fastest={best}")


if __name__ == "__main__":
    main()
