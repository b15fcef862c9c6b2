"""`agentops ingest` against a running deployment: runs are submitted to the Dagster instance
(through the webserver's GraphQL API) and the daemon launches them on the deployment's engine
(multiprocess or Celery workers) instead of this process executing them one after another.

Used when AGENTOPS_DAGSTER_URL names a webserver whose daemon is healthy; `--no-submit` forces
the in-process path. The spec assets are submitted as one asset backfill: their
`BackfillPolicy.single_run()` makes the daemon launch one run for all the specs, not one each.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlparse

from agentops_pipelines.settings import Settings, get_settings, settings_for

DAGSTER_URL_ENV = "AGENTOPS_DAGSTER_URL"
LOCATION_ENV = "AGENTOPS_DAGSTER_LOCATION"
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}
BACKFILL_DONE = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}
_LAUNCH_BACKFILL = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on PartitionSetNotFoundError { message }
    ... on UnauthorizedError { message }
  }
}
"""
_BACKFILL = """
query($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status numCancelable }
    ... on PythonError { message }
    ... on BackfillNotFoundError { message }
  }
}
"""
_DAEMONS = """
query { instance { daemonHealth { allDaemonStatuses { daemonType healthy required } } } }
"""


def dagster_url(
    environ: dict[str, str] | None = None, settings: Settings | None = None
) -> str | None:
    return (settings or settings_for(environ)).orchestration.dagster_url


def client(url: str):
    """A DagsterGraphQLClient for http(s)://host:port[/prefix]."""
    from dagster_graphql import DagsterGraphQLClient

    parts = urlparse(url)
    if not parts.hostname:
        raise ValueError(f"{DAGSTER_URL_ENV}={url!r} is not a URL like http://dagster:3000")
    return DagsterGraphQLClient(
        parts.hostname,
        port_number=parts.port,
        use_https=parts.scheme == "https",
        path_prefix=parts.path.rstrip("/"),
        timeout=30,
    )


def daemon_healthy(url: str) -> bool:
    """The queued-run coordinator must be alive, or submitted runs would wait forever."""
    try:
        data = client(url)._execute(_DAEMONS)  # noqa: SLF001 - the client's own GraphQL call
    except Exception:  # noqa: BLE001 - unreachable webserver: fall back to in-process
        return False
    statuses = data["instance"]["daemonHealth"]["allDaemonStatuses"]
    return any(s["daemonType"] == "QUEUED_RUN_COORDINATOR" and s["healthy"] for s in statuses)


def submit_partitions(url: str, job: str, keys: list[str]) -> dict[str, str]:
    """One queued run per spec partition; returns partition key -> run id."""
    gql = client(url)
    location = get_settings().orchestration.dagster_location
    return {
        key: gql.submit_job_execution(
            job, repository_location_name=location, tags={"dagster/partition": key}
        )
        for key in keys
    }


def submit_backfill(url: str, assets: list[str], keys: list[str], title: str) -> str:
    """One asset backfill of `assets` over the spec partitions `keys`; returns its id."""
    params = {
        "partitionNames": keys,
        "assetSelection": [{"path": [asset]} for asset in assets],
        "title": title,
    }
    data = client(url)._execute(_LAUNCH_BACKFILL, {"params": params})  # noqa: SLF001
    result = data["launchPartitionBackfill"]
    if result["__typename"] != "LaunchBackfillSuccess":
        raise RuntimeError(
            f"the deployment at {url} refused the backfill ({result['__typename']}): "
            f"{result.get('message', '')}"
        )
    return result["backfillId"]


def wait_for_backfill(
    url: str, backfill_id: str, timeout_s: float = 3600, poll_s: float = 1.0
) -> str:
    """Poll until the backfill is done; its final status (COMPLETED_SUCCESS when all landed)."""
    gql = client(url)
    deadline = time.monotonic() + timeout_s
    while True:
        data = gql._execute(_BACKFILL, {"id": backfill_id})  # noqa: SLF001
        result = data["partitionBackfillOrError"]
        if result["__typename"] != "PartitionBackfill":
            raise RuntimeError(f"backfill {backfill_id}: {result.get('message', '')}")
        if result["status"] in BACKFILL_DONE:
            return result["status"]
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"backfill {backfill_id} not finished after {timeout_s:.0f} s; it goes on in the "
                "deployment (Dagster UI, Overview > Backfills)"
            )
        time.sleep(poll_s)


def wait_for_runs(
    url: str,
    runs: dict[str, str],
    on_done: Callable[[str, str], None],
    timeout_s: float = 3600,
    poll_s: float = 1.0,
) -> dict[str, str]:
    """Poll until every run is terminal; on_done(key, status) as each finishes."""
    gql = client(url)
    pending = dict(runs)
    status: dict[str, str] = {}
    deadline = time.monotonic() + timeout_s
    while pending:
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"{len(pending)} submitted runs not finished after {timeout_s:.0f} s; they go on "
                f"in the deployment (first: {next(iter(pending.values()))})"
            )
        for key, run_id in list(pending.items()):
            value = gql.get_run_status(run_id).value
            if value in TERMINAL:
                status[key] = value
                del pending[key]
                on_done(key, value)
        if pending:
            time.sleep(poll_s)
    return status
