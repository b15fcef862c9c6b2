"""One plain line per spec while the daemon ingests the demo's specs (TTY or not).

    python -m agentops_pipelines.cli.demo_progress --timeout 1800

Polls the instance for spec_pipeline_job runs (what spec_source_sensor launches) and prints a
line when a spec's run finishes: `[3/16] billing-invoices/spec.md success 41 s (run 1a2b3c4d)`.
A spec whose latest run already succeeded (a second `make demo`) counts as done at once. Exits 0
when every spec is done, 1 when one failed or the timeout passed (the UI link says where to look).
"""

from __future__ import annotations

import argparse
import sys
import time

FINISHED = ("SUCCESS", "FAILURE", "CANCELED")


def _finished_runs(instance) -> dict[str, tuple[str, str]]:
    """Latest finished spec_pipeline_job run per partition: {key: (status, run_id)}."""
    import dagster as dg

    records = instance.get_run_records(
        filters=dg.RunsFilter(
            job_name="spec_pipeline_job",
            statuses=[dg.DagsterRunStatus[s] for s in FINISHED],
        ),
        order_by="create_timestamp",
        ascending=True,
    )
    latest: dict[str, tuple[str, str]] = {}
    for record in records:
        key = record.dagster_run.tags.get("dagster/partition")
        if key:
            latest[key] = (record.dagster_run.status.value, record.dagster_run.run_id)
    return latest


def watch(expected: list[str], instance, timeout_s: float, poll_s: float, ui_url: str) -> int:
    start = time.monotonic()
    reported: dict[str, str] = {}
    print(f"ingesting {len(expected)} specs through the Dagster daemon: {ui_url}/runs", flush=True)
    while True:
        for key, (status, run_id) in sorted(_finished_runs(instance).items()):
            if key in expected and reported.get(key) != status:
                reported[key] = status
                done = sum(1 for k in expected if reported.get(k) == "SUCCESS")
                where = "" if status == "SUCCESS" else f": see {ui_url}/runs/{run_id}"
                print(
                    f"[{done}/{len(expected)}] {key} {status.lower()} "
                    f"{time.monotonic() - start:.0f} s (run {run_id[:8]}){where}",
                    flush=True,
                )
        if all(reported.get(k) == "SUCCESS" for k in expected):
            print(f"all {len(expected)} specs done in {time.monotonic() - start:.0f} s", flush=True)
            return 0
        if time.monotonic() - start > timeout_s:
            missing = [k for k in expected if reported.get(k) != "SUCCESS"]
            print(f"timed out after {timeout_s:.0f} s; not done: {', '.join(missing)}", flush=True)
            return 1
        time.sleep(poll_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="agentops_pipelines.cli.demo_progress")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--poll", type=float, default=2.0)
    parser.add_argument("--ui-url", default="http://127.0.0.1:3000")
    args = parser.parse_args(argv)

    from agentops_pipelines.cli.ingest import cli_instance
    from agentops_pipelines.settings import get_settings
    from agentops_pipelines.specs.source import SpecFolder

    settings = get_settings()
    expected = sorted(spec.key for spec in SpecFolder(settings.specs_path).scan())
    return watch(expected, cli_instance(settings), args.timeout, args.poll, args.ui_url)


if __name__ == "__main__":
    sys.exit(main())
