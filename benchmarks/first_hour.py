"""The first hour as a newcomer meets it, from a clean AGENTOPS_HOME, through the users' path.

    python benchmarks/first_hour.py [--home /tmp/agentops-first-hour] [--timeout 1800]

1. Starts what `make demo` starts (dagster dev with its daemon, Streamlit, the API) on free ports
   against a new home; ui_up_s = until the Dagster UI and Streamlit both answer HTTP 200.
2. samples_done_s = until every bundled sample spec has a successful spec_pipeline_job run
   (launched by spec_source_sensor through the daemon, as in the demo).
3. Appends one requirement to a copy of a sample spec; edit_to_qa_s / edit_to_pr_s = until that
   spec's qa_scores / pull_request have a materialisation newer than the edit.
4. search_cold_s = `agentops search` in a new process (imports, model, index open); then the
   warm time of the same query in this process through the service.
Specs are a copy of examples/specs (the edit never touches the repository). The servers are
stopped at the end. Last line: ui_up_s=... samples_done_s=... edit_to_qa_s=... edit_to_pr_s=...
search_cold_s=...
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
EDIT_SPEC = "team-invitations/spec.md"
EDIT = """
### Requirement: Invitation reminder
The system SHALL send one reminder email 48 hours before an invitation expires.

#### Scenario: Reminder sent
- **WHEN** an invitation expires in 48 hours
- **THEN** the invitee receives one reminder email
"""


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_for(what: str, predicate, timeout_s: float, poll_s: float = 1.0) -> float:
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout_s:
            raise TimeoutError(f"{what} not reached after {timeout_s:.0f} s")
        time.sleep(poll_s)
    return time.monotonic() - start


def latest_materialization(instance, asset: str, partition: str) -> float:
    import dagster as dg

    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(asset), asset_partitions=[partition]), limit=1
    ).records
    return records[0].timestamp if records else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="agentops-first-hour-"))
    shutil.rmtree(home, ignore_errors=True)
    specs = home / "specs"
    shutil.copytree(ROOT / "examples" / "specs", specs)
    dagster_home = home / "dagster"
    dagster_home.mkdir(parents=True)
    env = {
        **os.environ,
        "AGENTOPS_HOME": str(home),
        "DAGSTER_HOME": str(dagster_home),
        "AGENTOPS_SPECS_PATH": str(specs),
        # as scripts/demo.sh: Dagster's 60 s gRPC default fails dequeued runs on a loaded machine
        "DAGSTER_GRPC_TIMEOUT_SECONDS": os.environ.get("DAGSTER_GRPC_TIMEOUT_SECONDS", "180"),
    }
    os.environ.update({k: env[k] for k in ("AGENTOPS_HOME", "DAGSTER_HOME", "AGENTOPS_SPECS_PATH")})
    from agentops_pipelines.cli.ingest import ensure_instance_config

    ensure_instance_config(dagster_home)
    ui, st, api = free_port(), free_port(), free_port()
    logs = home / "logs"
    logs.mkdir()
    commands = {
        "dagster": [
            str(VENV_BIN / "dagster"),
            "dev",
            "-m",
            "agentops_pipelines.definitions",
            "-h",
            "127.0.0.1",
            "-p",
            str(ui),
        ],
        "streamlit": [
            str(VENV_BIN / "streamlit"),
            "run",
            "streamlit_app/app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(st),
            "--browser.gatherUsageStats",
            "false",
        ],
        "api": [
            str(VENV_BIN / "uvicorn"),
            "--factory",
            "agentops_pipelines.api.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(api),
        ],
    }
    print(f"home {home}; load {load()}", flush=True)
    start = time.monotonic()
    log_files = [open(logs / f"{name}.log", "w") for name in commands]  # noqa: SIM115
    procs = [
        subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for cmd, log in zip(commands.values(), log_files, strict=True)
    ]
    try:
        wait_for(
            "both UIs",
            lambda: (
                answers(f"http://127.0.0.1:{ui}/server_info")
                and answers(f"http://127.0.0.1:{st}/_stcore/health")
            ),
            args.timeout,
        )
        ui_up = time.monotonic() - start
        print(f"both UIs answer after {ui_up:.1f} s", flush=True)

        import dagster as dg

        from agentops_pipelines.cli.demo_progress import watch
        from agentops_pipelines.specs.source import SpecFolder

        instance = dg.DagsterInstance.get()
        expected = sorted(s.key for s in SpecFolder(specs).scan())
        if watch(expected, instance, args.timeout, 2.0, f"http://127.0.0.1:{ui}") != 0:
            raise SystemExit("samples did not finish: see the Dagster UI")
        samples_done = time.monotonic() - start

        edited_at = time.time()
        with open(specs / EDIT_SPEC, "a") as handle:
            handle.write(EDIT)
        t0 = time.monotonic()
        edit_to_qa = wait_for(
            "edited qa_scores",
            lambda: latest_materialization(instance, "qa_scores", EDIT_SPEC) > edited_at,
            args.timeout,
        )
        edit_to_pr = (
            t0
            and wait_for(
                "edited pull_request",
                lambda: latest_materialization(instance, "pull_request", EDIT_SPEC) > edited_at,
                args.timeout,
            )
            + edit_to_qa
        )
        print(f"edit -> qa_scores {edit_to_qa:.1f} s, -> pull_request {edit_to_pr:.1f} s")

        t0 = time.monotonic()
        subprocess.run(
            [str(VENV_BIN / "agentops"), "search", "invitation reminder email"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        search_cold = time.monotonic() - t0
        from agentops_pipelines.retrieval.spec_search import search

        search("invitation reminder email")
        t0 = time.perf_counter()
        search("invitation reminder email")
        print(
            f"search cold {search_cold:.1f} s (new process), warm "
            f"{(time.perf_counter() - t0) * 1000:.1f} ms (service, same process)"
        )
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    print(f"load after {load()}")
    print(
        f"ui_up_s={ui_up:.1f} samples_done_s={samples_done:.1f} edit_to_qa_s={edit_to_qa:.1f} "
        f"edit_to_pr_s={edit_to_pr:.1f} search_cold_s={search_cold:.1f}"
    )


if __name__ == "__main__":
    main()
