"""GitLab webhook deliveries: the `X-Gitlab-Token` check (constant time) and the inbox row.

GitLab does not sign bodies; it sends the secret token configured on the hook in
`X-Gitlab-Token`, which is compared with `hmac.compare_digest` before the body is read. A
delivery is keyed by its `Idempotency-Key` (stable across GitLab's retries) or, on older
GitLab, `X-Gitlab-Event-UUID`, so a redelivery is stored once. Rows are stored as `ignored`
until a GitLab consumer exists: kept, never lost, and never fed to the GitHub sensors.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping

from pydantic import BaseModel

from agentops_pipelines.gitops.inbox.writer import IGNORED, InboxWriter

GITLAB_MAX_PAYLOAD_BYTES = 25 * 1024 * 1024


class GitLabVerdict(BaseModel):
    status_code: int
    detail: str
    delivery_id: str | None = None
    duplicate: bool | None = None


def token_ok(secret: str, sent: str | None) -> bool:
    return bool(secret) and hmac.compare_digest((sent or "").encode(), secret.encode())


def precheck(secret: str, headers: Mapping[str, str], max_bytes: int) -> GitLabVerdict | None:
    """What is refused before the body is read: a wrong token, or a too large body."""
    if not token_ok(secret, headers.get("x-gitlab-token")):
        return GitLabVerdict(status_code=401, detail="missing or wrong X-Gitlab-Token")
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        return GitLabVerdict(status_code=413, detail=f"body exceeds the limit of {max_bytes} bytes")
    return None


def store(writer: InboxWriter, headers: Mapping[str, str], body: bytes) -> GitLabVerdict:
    key = headers.get("idempotency-key") or headers.get("x-gitlab-event-uuid")
    event = headers.get("x-gitlab-event")
    if not key or not event:
        return GitLabVerdict(
            status_code=400, detail="missing X-Gitlab-Event or Idempotency-Key/X-Gitlab-Event-UUID"
        )
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return GitLabVerdict(status_code=400, detail=f"body is not JSON: {err}")
    if not isinstance(payload, dict):
        return GitLabVerdict(status_code=400, detail="body must be a JSON object")
    attributes = payload.get("object_attributes")
    action = attributes.get("action") if isinstance(attributes, dict) else None
    delivery_id = f"gitlab:{key}"[:100]
    new = writer.record(
        delivery_id=delivery_id,
        event=f"gitlab:{event}"[:100],
        action=str(action)[:100] if action else None,
        payload=body.decode("utf-8"),
        status=IGNORED,
    )
    return GitLabVerdict(
        status_code=202 if new else 200,
        detail="stored" if new else "redelivery of a stored delivery",
        delivery_id=delivery_id,
        duplicate=not new,
    )
