"""The multi-process topology on our own machine, each part a separate process:

PostgreSQL (Dagster storage + app store), Redis (Celery broker), `dagster code-server start`
(gRPC), `dagster-webserver`, `dagster-daemon` (QueuedRunCoordinator with tag concurrency limits,
run retries), two `dagster-celery` workers, the API and the webhook receiver (2 uvicorn workers
each). A signed push webhook for a spec in a bare git repository flows through the receiver,
the inbox, spec_push_sensor and declarative automation to downstream assets materialised by the
Celery workers. Then a changed spec is pushed and the worker process running a step is killed
with SIGKILL: the broker hands the unacknowledged step to a worker again (acks_late +
reject_on_worker_lost) and the run succeeds; or, if the run can no longer finish (dagster-celery
0.29.27 loops forever once a Celery task errors, see deploy/dagster/dagster.yaml), run
monitoring fails it after its max runtime and run retries re-execute it. Either way every
failed run has a successful retry, and every asset of the edit lands.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import dagster as dg
import httpx
import pytest
import yaml
from dagster_celery.make_app import make_app
from sqlalchemy import create_engine, text

from agentops_pipelines.gitops.inbox.signature import sign
from tests.auth_support import auth_headers
from tests.conftest import PROJECT_ROOT
from tests.deploy.redis_server import redis_server
from tests.deploy.services import Services, free_port
from tests.gitops.gitops_repos import bare_repo, commit_and_push, git, push_payload
from tests.pg_support import fresh_database, sqlalchemy_url

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.timeout(1800)]

SPEC = "billing-invoices/spec.md"
SPECS_REPO = "acme/specs"
SECRET = "e2e-webhook-secret-" + uuid.uuid4().hex[:8]
DOWNSTREAM = ("technical_plan", "task_graph", "spec_chunks")
BIN = Path(sys.executable).parent
# Bounds for a loaded 2-core machine: loading the code location alone can take a minute.
START_TIMEOUT = 240.0
FLOW_TIMEOUT = 420.0
# A run still going after this is failed by run monitoring and retried from the failure; well
# above a run's time at load 25, below RECOVERY_TIMEOUT so a stuck run is seen recovering.
MAX_RUNTIME_S = 300
RECOVERY_TIMEOUT = MAX_RUNTIME_S * 3 + FLOW_TIMEOUT


def _env(tmp_path: Path, admin_url: str, dagster_db: str, app_url: str, broker: str) -> dict:
    pg = urlparse(admin_url)
    home = tmp_path / "agentops"
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AGENTOPS_", "DAGSTER_"))}
    return keep | {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "PYTHONPATH": str(PROJECT_ROOT),
        "AGENTOPS_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "AGENTOPS_SPECS_PATH": str(tmp_path / "source"),
        "AGENTOPS_DB_URL": app_url,
        "AGENTOPS_DB_POOL_SIZE": "2",
        "AGENTOPS_DB_MAX_OVERFLOW": "2",
        "AGENTOPS_PG_HOST": pg.hostname or "127.0.0.1",
        "AGENTOPS_PG_PORT": str(pg.port or 5432),
        "AGENTOPS_PG_USER": pg.username or "postgres",
        "AGENTOPS_PG_PASSWORD": pg.password or "",
        "AGENTOPS_PG_DB": dagster_db,
        "AGENTOPS_EXECUTOR": "celery",
        "AGENTOPS_CELERY_BROKER": f"{broker}/0",
        "AGENTOPS_CELERY_BACKEND": f"{broker}/1",
        "AGENTOPS_GIT_SENSOR_INTERVAL_S": "5",
        "AGENTOPS_AUTOMATION_INTERVAL_S": "5",
        "AGENTOPS_GITHUB_WEBHOOK_SECRET": SECRET,
        "AGENTOPS_GIT_ALLOW_LOCAL_REMOTES": "on",  # the spec repo is a local bare repository
        "AGENTOPS_LOG_FORMAT": "plain",
        # On a loaded machine launching a run through the code server can take over a minute.
        "DAGSTER_GRPC_TIMEOUT_SECONDS": "300",
    }


def _wait(
    predicate,
    timeout: float,
    what: str,
    services: Services,
    every: float = 2.0,
    instance: dg.DagsterInstance | None = None,
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    runs = _failure_report(instance, instance.get_runs()) if instance is not None else ""
    raise AssertionError(f"no {what} within {timeout:.0f} s\n{runs}\n{services.logs()}")


def _deliver(url: str, payload: dict) -> str:
    body = json.dumps(payload).encode()
    delivery = str(uuid.uuid4())
    response = httpx.post(
        url,
        content=body,
        headers={
            "X-GitHub-Event": "push",
            "X-GitHub-Delivery": delivery,
            "X-Hub-Signature-256": sign(SECRET, body),
            "Content-Type": "application/json",
        },
        timeout=30,
    )
    assert response.status_code == 202, response.text
    return delivery


def _materialised(instance: dg.DagsterInstance, key: str, after: float) -> list:
    records = instance.fetch_materializations(dg.AssetKey(key), limit=50).records
    return [r for r in records if r.partition_key == SPEC and r.timestamp > after]


def _downstream_done(instance: dg.DagsterInstance, after: float) -> bool:
    return all(_materialised(instance, key, after) for key in DOWNSTREAM)


def _celery_hosts(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> set[str]:
    """Which Celery workers executed steps, from the engine events the workers write."""
    hosts = set()
    for run in runs:
        for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
            data = record.dagster_event.engine_event_data if record.dagster_event else None
            worker = data.metadata.get("Celery worker") if data else None
            if worker is not None:
                hosts.add(str(worker.value).split("@")[0])
    return hosts


def _retried_ok(runs: list[dg.DagsterRun], failed: dg.DagsterRun) -> bool:
    return any(
        r.tags.get("dagster/parent_run_id") == failed.run_id
        and (r.status == dg.DagsterRunStatus.SUCCESS or _retried_ok(runs, r))
        for r in runs
    )


def _settled(instance: dg.DagsterInstance) -> bool:
    """No run queued or going, and no failed run whose retry is still to come."""
    runs = instance.get_runs()
    if any(r.status in UNFINISHED for r in runs):
        return False
    return all(
        _retried_ok(runs, r) or r.tags.get("dagster/will_retry") == "false"
        for r in runs
        if r.status == dg.DagsterRunStatus.FAILURE
    )


UNFINISHED = {
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
}


def _failure_report(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> str:
    """What went wrong in each failed run, from its event log (run and step failures, engine
    errors), so a failure of this test says why."""
    lines = []
    for run in runs:
        lines.append(f"run {run.run_id} ({run.job_name}, {run.status.value}):")
        for record in instance.all_logs(run.run_id):
            event = record.dagster_event
            if event and (event.is_failure or event.event_type_value == "RUN_FAILURE"):
                lines.append(f"  {event.event_type_value} {event.step_key or ''}: {event.message}")
            elif record.level >= 40:
                lines.append(f"  ERROR {record.step_key or ''}: {record.user_message[:500]}")
    return "\n".join(lines)


@pytest.fixture
def topology(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    with (
        fresh_database("agentops_dagster") as (admin_url, dagster_db),
        fresh_database("agentops_app") as (_, app_db),
        redis_server(tmp_path / "redis") as broker,
    ):
        env = _env(tmp_path, admin_url, dagster_db, sqlalchemy_url(admin_url, app_db), broker)
        for key, value in env.items():
            if key.startswith(("AGENTOPS_", "DAGSTER_")):
                monkeypatch.setenv(key, value)
        dagster_home = Path(env["DAGSTER_HOME"])
        dagster_home.mkdir(parents=True)
        instance_yaml = yaml.safe_load(
            (PROJECT_ROOT / "deploy" / "dagster" / "dagster.yaml").read_text()
        )
        instance_yaml["run_monitoring"] |= {"max_runtime_seconds": MAX_RUNTIME_S}
        instance_yaml["run_monitoring"]["poll_interval_seconds"] = 10
        (dagster_home / "dagster.yaml").write_text(yaml.safe_dump(instance_yaml))
        services = Services(tmp_path / "logs", env)
        try:
            yield {"env": env, "services": services, "tmp": tmp_path}
        finally:
            services.stop_all()


def test_push_flows_through_celery_workers_and_survives_a_killed_worker(topology) -> None:
    env, services, tmp = topology["env"], topology["services"], topology["tmp"]
    spec_text = (PROJECT_ROOT / "examples" / "specs" / SPEC).read_text()
    specs_bare = bare_repo(tmp, "specs", {"README.md": "# specs\n"})
    author = tmp / "author"
    git(tmp, "clone", "--quiet", str(specs_bare), str(author))
    git(tmp, "clone", "--quiet", str(specs_bare), env["AGENTOPS_SPECS_PATH"])

    # Deploy step: the app store schema, once, before any process starts.
    done = subprocess.run(
        [str(BIN / "agentops"), "db", "upgrade"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "at heads" in done.stdout and "password" not in done.stdout
    admin = auth_headers(env["AGENTOPS_DB_URL"], "ops-admin", "admin")  # a token, as a client

    code_port, web_port, api_port, rx_port = (free_port() for _ in range(4))
    workspace = tmp / "workspace.yaml"
    workspace.write_text(
        "load_from:\n  - grpc_server:\n      host: 127.0.0.1\n"
        f"      port: {code_port}\n      location_name: agentops\n"
    )
    code = services.start(
        "code-server",
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
    worker_yaml = str(PROJECT_ROOT / "deploy" / "celery" / "worker.yaml")
    for name in ("w1", "w2"):
        services.start(
            f"celery-{name}",
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
    uvicorn = ["uvicorn", "--factory", "--host", "127.0.0.1", "--workers", "2"]
    api = services.start(
        "api", [*uvicorn, "--port", str(api_port), "agentops_pipelines.api.app:create_app"]
    )
    receiver = services.start(
        "receiver",
        [
            *uvicorn,
            "--port",
            str(rx_port),
            "agentops_pipelines.api.receiver.standalone:app_from_env",
        ],
    )
    code.wait_port(code_port, START_TIMEOUT)
    web = services.start(
        "webserver",
        ["dagster-webserver", "-w", str(workspace), "-h", "127.0.0.1", "-p", str(web_port)],
    )
    daemon = services.start("daemon", ["dagster-daemon", "run", "-w", str(workspace)])
    api.wait_http(f"http://127.0.0.1:{api_port}/metrics", START_TIMEOUT)
    receiver.wait_port(rx_port, START_TIMEOUT)
    web.wait_http(f"http://127.0.0.1:{web_port}/server_info", START_TIMEOUT)
    celery = make_app(
        {"broker": env["AGENTOPS_CELERY_BROKER"], "backend": env["AGENTOPS_CELERY_BACKEND"]}
    )
    _wait(
        lambda: len(celery.control.ping(timeout=2)) == 2,
        START_TIMEOUT,
        "two Celery workers",
        services,
    )

    # Webhooks drive ingestion here; the folder-polling sensor would ingest the same push twice.
    def stop_polling() -> bool:  # fails until the code server has loaded the location
        argv = [str(BIN / "dagster"), "sensor", "stop", "spec_source_sensor", "-w", str(workspace)]
        return subprocess.run(argv, env=env, capture_output=True, timeout=120).returncode == 0

    _wait(stop_polling, START_TIMEOUT, "spec_source_sensor stopped", services, every=5)

    # The spec repository is linked through the API (PostgreSQL app store).
    link = {"repo": SPECS_REPO, "remote_url": str(specs_bare), "spec_root": ""}
    response = httpx.put(
        f"http://127.0.0.1:{api_port}/api/git/links", json=link, headers=admin, timeout=30
    )
    assert response.status_code == 200, response.text

    # 1. A commit adds the spec; GitHub's signed push reaches the receiver.
    hook = f"http://127.0.0.1:{rx_port}/webhooks/github"
    started = time.time()
    sha = commit_and_push(author, {SPEC: spec_text}, "Add billing spec")
    _deliver(hook, push_payload(SPECS_REPO, sha, added=[SPEC]))
    instance = dg.DagsterInstance.from_config(env["DAGSTER_HOME"])
    try:
        _wait(
            lambda: _downstream_done(instance, started),
            FLOW_TIMEOUT,
            f"{DOWNSTREAM} materialised for {SPEC}",
            services,
            instance=instance,
        )
        first_runs = instance.get_runs()
        assert {r.job_name for r in first_runs} >= {"spec_pipeline_job"}  # the push sensor's
        assert any(r.tags.get("dagster/sensor_name") == "spec_push_sensor" for r in first_runs)
        # Every run went through the queue, and its steps ran on our Celery workers.
        for run in first_runs:
            queued = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_ENQUEUED)
            assert queued, f"run {run.run_id} of {run.job_name} was not queued"
        assert _celery_hosts(instance, first_runs) and _celery_hosts(instance, first_runs) <= {
            "w1",
            "w2",
        }
        plan = httpx.get(f"http://127.0.0.1:{api_port}/api/plans/{SPEC}", headers=admin, timeout=30)
        assert plan.status_code == 200, plan.text
        first_hash = _materialised(instance, "raw_spec", started)[0].asset_materialization
        first_hash = first_hash.metadata["content_hash"].value

        # 2. The spec changes; the worker process running a step then (the edit's ingest or the
        # automation run still going) is killed.
        changed_at = time.time()
        edited = spec_text + "\n- The system SHALL e-mail the invoice PDF within 5 minutes.\n"
        sha = commit_and_push(author, {SPEC: edited}, "Edit billing spec")
        _deliver(hook, push_payload(SPECS_REPO, sha, modified=[SPEC]))

        def active_task():
            for host, tasks in (celery.control.inspect(timeout=1).active() or {}).items():
                for task in tasks:
                    return host, task["worker_pid"]
            return None

        host, pid = _wait(
            active_task, FLOW_TIMEOUT, "an active Celery task", services, 0.2, instance
        )
        os.kill(pid, signal.SIGKILL)

        def recovered():
            """The killed step ran again: redelivered within the same run, which succeeded, or
            the run failed (stuck, see MAX_RUNTIME_S) and a retry of it succeeded."""
            runs = instance.get_runs()
            for run in runs:
                starts: dict[str, list[str]] = {}
                for record in instance.all_logs(
                    run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT
                ):
                    data = record.dagster_event.engine_event_data if record.dagster_event else None
                    worker = data.metadata.get("Celery worker") if data else None
                    if worker is not None and record.step_key:
                        starts.setdefault(record.step_key, []).append(str(worker.value))
                again = {k: v for k, v in starts.items() if len(v) >= 2}
                if again and run.status == dg.DagsterRunStatus.SUCCESS:
                    return "redelivered", run, again
            for run in runs:
                if run.status == dg.DagsterRunStatus.FAILURE and _retried_ok(runs, run):
                    return "run retried", run, {}
            return None

        how, run, again = _wait(
            recovered, RECOVERY_TIMEOUT, "the killed step re-executed", services, instance=instance
        )
        _wait(
            lambda: _settled(instance),
            RECOVERY_TIMEOUT,
            "every run settled",
            services,
            instance=instance,
        )

        # 3. Nothing lost: the edit is ingested and the downstream assets follow it.
        def edit_landed():
            records = _materialised(instance, "raw_spec", changed_at)
            return any(
                r.asset_materialization.metadata["content_hash"].value != first_hash
                for r in records
            )

        _wait(edit_landed, FLOW_TIMEOUT, "the edited spec ingested", services, instance=instance)
        _wait(
            lambda: _downstream_done(instance, changed_at),
            FLOW_TIMEOUT,
            "downstream assets of the edit",
            services,
            instance=instance,
        )
        assert len(celery.control.ping(timeout=2)) == 2, "the worker did not replace its process"
        engine = create_engine(env["AGENTOPS_DB_URL"])
        with engine.connect() as conn:
            pending = conn.execute(
                text("SELECT count(*) FROM webhook_inbox WHERE processed_at IS NULL")
            ).scalar_one()
            total = conn.execute(text("SELECT count(*) FROM webhook_inbox")).scalar_one()
        engine.dispose()
        assert (total, pending) == (2, 0)
        for service in (code, web, daemon, api, receiver):
            assert service.alive(), f"{service.name} died:\n{service.log_tail()}"
        print(
            f"killed pid {pid} on {host}; {how}: run {run.run_id} re-executed {again}; "
            f"first flow {changed_at - started:.1f} s, "
            f"recovery {time.time() - changed_at:.1f} s, load {Path('/proc/loadavg').read_text()}"
        )
    finally:
        instance.dispose()
