"""pr_review_sensor through dg.build_sensor_context: reviewable actions on linked repos only,
the newest head per PR, a crashed tick replays the same run keys, a seen delivery never twice."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import dagster as dg
from review_repos import pull_payload

from agentops_pipelines.defs.sensors.pr_review import pr_review_sensor
from agentops_pipelines.gitops.inbox.reader import InboxWriter
from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.resources.gitops import GitOpsResource
from agentops_pipelines.store.db import make_engine

REPO = "acme/shop"


def test_sensor_requests_newest_head_once_and_replays_safely(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    gitops = GitOpsResource(db_url=url, home=str(tmp_path))
    save_link(gitops.sessions(), RepoLink(repo=REPO, remote_url="/x"))
    writer = InboxWriter(make_engine(url))

    def deliver(payload: dict, event: str = "pull_request") -> None:
        writer.record(
            delivery_id=str(uuid.uuid4()),
            event=event,
            action=payload.get("action"),
            payload=json.dumps(payload),
            status="pending",
        )

    deliver(pull_payload(REPO, 3, "opened", "a" * 40, "b" * 40))
    deliver(pull_payload(REPO, 3, "synchronize", "a" * 40, "c" * 40))
    deliver(pull_payload(REPO, 4, "closed", "a" * 40, "d" * 40))
    deliver(pull_payload(REPO, 5, "labeled", "a" * 40, "e" * 40))
    deliver(pull_payload("other/repo", 6, "opened", "a" * 40, "f" * 40))
    deliver({"action": "opened", "number": 7}, event="pull_request")  # not a valid payload
    instance = dg.DagsterInstance.ephemeral()
    resources = {"gitops": gitops}

    def tick(cursor):
        return pr_review_sensor(
            dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
        )

    first = tick(None)
    (run,) = first.run_requests
    assert run.partition_key == f"{REPO}#3" and run.run_key.endswith("@" + "c" * 40)
    assert run.run_config["ops"]["pr_review"]["config"]["head_sha"] == "c" * 40
    (add,) = first.dynamic_partitions_requests
    assert list(add.partition_keys) == [f"{REPO}#3"]
    replay = tick(None)  # the tick crashed before its cursor was committed
    assert [r.run_key for r in replay.run_requests] == [run.run_key]
    assert tick(first.cursor).run_requests == []
    instance.add_dynamic_partitions("pull_request", [f"{REPO}#3"])
    deliver(pull_payload(REPO, 3, "reopened", "a" * 40, "c" * 40))
    later = tick(first.cursor)
    assert [r.partition_key for r in later.run_requests] == [f"{REPO}#3"]
    assert not later.dynamic_partitions_requests  # the partition exists already


def test_our_own_review_check_is_not_taken_for_a_ci_result(tmp_path: Path) -> None:
    from agentops_pipelines.defs.sensors.gitops import ci_results_sensor
    from agentops_pipelines.review.render import CHECK_NAME

    url = f"sqlite:///{tmp_path / 'app.db'}"
    gitops = GitOpsResource(db_url=url, home=str(tmp_path))
    save_link(gitops.sessions(), RepoLink(repo=REPO, remote_url="/x", implements="*"))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", ["s/spec.md"])
    writer = InboxWriter(make_engine(url))

    def deliver_check(name: str) -> None:
        payload = {
            "action": "completed",
            "check_run": {
                "id": 1,
                "name": name,
                "head_sha": "a" * 40,
                "status": "completed",
                "conclusion": "neutral",
                "pull_requests": [],
                "check_suite": {"head_branch": "feature"},
            },
            "repository": {"full_name": REPO},
        }
        writer.record(
            delivery_id=str(uuid.uuid4()),
            event="check_run",
            action="completed",
            payload=json.dumps(payload),
            status="pending",
        )

    def tick(cursor):
        ctx = dg.build_sensor_context(
            instance=instance, cursor=cursor, resources={"gitops": gitops}
        )
        return ci_results_sensor(ctx)

    deliver_check(CHECK_NAME)
    first = tick(None)
    assert first.run_requests == []  # our review check is not a CI result
    deliver_check("ci / tests")
    assert len(tick(first.cursor).run_requests) == 1  # a CI check is
