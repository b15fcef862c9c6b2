"""Pull request webhooks (opened / synchronize / reopened on a linked repo) -> a `pr_review` run
of that PR's partition, for the head in the delivery.

The cursor is the last inbox id seen plus the ids seen in a short window behind it, committed
with the tick's run requests. Each tick re-reads that window (on PostgreSQL a lower id can
commit after a higher one) and acts only on ids not seen yet; run keys carry the delivery id and
head SHA as a second guard.
"""

import json

import dagster as dg

from agentops_pipelines.defs.partitions import PULL_PARTITIONS_NAME, pull_partitions
from agentops_pipelines.defs.sensors.gitops import sensor_interval
from agentops_pipelines.gitops.inbox.reader import read_inbox
from agentops_pipelines.gitops.links.repo_links import list_links
from agentops_pipelines.resources.gitops import GitOpsResource
from agentops_pipelines.review.events import review_requests

BATCH = 500
WINDOW = 50


def _cursor(value: str | None) -> tuple[int, set[int]]:
    if not value:
        return 0, set()
    data = json.loads(value)
    return int(data["inbox_id"]), set(data.get("seen", []))


@dg.sensor(
    target=dg.AssetSelection.assets("pr_review"),
    minimum_interval_seconds=sensor_interval(),
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def pr_review_sensor(context: dg.SensorEvaluationContext, gitops: GitOpsResource):
    """Review every new head of a PR on a linked repository."""
    after, seen = _cursor(context.cursor)
    sessions = gitops.sessions()
    window = read_inbox(sessions, max(after - WINDOW, 0), BATCH + WINDOW, include_ignored=True)
    rows = [r for r in window if r.id > after or (r.id not in seen and r.id > after - WINDOW)]
    last = max([after, *(r.id for r in window)])
    seen = {i for i in seen | {r.id for r in window} if i > last - WINDOW}
    wanted, skipped = review_requests(rows, list_links(sessions))
    for item in skipped:
        context.log.info("pull_request %s not reviewed: %s", item.delivery_id, item.reason)
    existing = set(context.instance.get_dynamic_partitions(PULL_PARTITIONS_NAME))
    new = sorted(k for k in wanted if k not in existing)
    runs = [
        dg.RunRequest(
            partition_key=key,
            run_key=f"pr:{req.delivery_id}:{key}@{req.event.pull_request.head.sha}",
            run_config={
                "ops": {
                    "pr_review": {
                        "config": {
                            "delivery_id": req.delivery_id,
                            "head_sha": req.event.pull_request.head.sha,
                        }
                    }
                }
            },
        )
        for key, req in sorted(wanted.items())
    ]
    return dg.SensorResult(
        run_requests=runs,
        dynamic_partitions_requests=[pull_partitions.build_add_request(new)] if new else [],
        cursor=json.dumps({"inbox_id": last, "seen": sorted(seen)}),
    )
