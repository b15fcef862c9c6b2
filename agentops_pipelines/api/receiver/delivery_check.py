"""The webhook receiver's decision, free of HTTP framework types: verify, classify, store.

Order matters: the signature is checked on the raw bytes before anything is parsed, and the
delivery is committed to the inbox before the caller answers 2xx, so an acknowledged delivery
is never lost when the process dies right after.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs

from pydantic import BaseModel

from agentops_pipelines.gitops.inbox.events import HANDLED_EVENTS
from agentops_pipelines.gitops.inbox.signature import verify_signature
from agentops_pipelines.gitops.inbox.writer import InboxWriter, inbox_status_for

log = logging.getLogger(__name__)

GITHUB_MAX_PAYLOAD_BYTES = 25 * 1024 * 1024


class Verdict(BaseModel):
    status_code: int
    detail: str
    delivery_id: str | None = None
    inbox_status: str | None = None
    duplicate: bool = False


def _json_document(body: bytes, content_type: str | None) -> str:
    """GitHub hooks may be set to form encoding: then the JSON is the `payload` form field."""
    if content_type and content_type.startswith("application/x-www-form-urlencoded"):
        try:
            return parse_qs(body.decode("utf-8"), strict_parsing=True)["payload"][0]
        except (ValueError, KeyError, IndexError):  # no '=' raises ValueError in strict mode
            raise _FormError from None
    return body.decode("utf-8")


class _FormError(Exception):
    """A form-encoded body without a `payload=<json>` field."""


class Accepted(BaseModel):
    """A verified, parsed delivery ready for the inbox (the fields of one row)."""

    delivery_id: str
    event: str
    action: str | None
    payload: str
    status: str


def check_delivery(
    *,
    secret: str,
    body: bytes,
    signature: str | None,
    event: str | None,
    delivery_id: str | None,
    content_type: str | None = None,
    signature_checked: bool = False,
) -> Verdict | Accepted:
    """Everything before the write: a Verdict to answer at once, or the row to store.
    `signature_checked`: the body reader already verified the HMAC while streaming."""
    if not signature_checked and not verify_signature(secret, body, signature):
        log.warning(
            "webhook rejected: missing or invalid X-Hub-Signature-256 (delivery %s)", delivery_id
        )
        return Verdict(status_code=401, detail="missing or invalid X-Hub-Signature-256")
    if not event or not delivery_id:
        return Verdict(
            status_code=400,
            detail="X-GitHub-Event and X-GitHub-Delivery headers are required",
        )
    try:
        document = _json_document(body, content_type)
        payload = json.loads(document)
    except _FormError:
        return Verdict(
            status_code=400,
            detail="form-encoded body has no payload=<json> field; send the JSON as `payload` "
            "or set the hook's content type to application/json",
            delivery_id=delivery_id,
        )
    except RecursionError:
        return Verdict(
            status_code=400, detail="body JSON is nested too deeply", delivery_id=delivery_id
        )
    except (UnicodeDecodeError, json.JSONDecodeError):
        return Verdict(
            status_code=400, detail="body is not valid UTF-8 JSON", delivery_id=delivery_id
        )
    if not isinstance(payload, dict):
        return Verdict(
            status_code=400, detail="body must be a JSON object", delivery_id=delivery_id
        )
    action = payload.get("action")
    return Accepted(
        delivery_id=delivery_id,
        event=event,
        action=action if isinstance(action, str) else None,
        payload=document,
        status=inbox_status_for(event, HANDLED_EVENTS),
    )


def stored_verdict(accepted: Accepted, inserted: bool) -> Verdict:
    return Verdict(
        status_code=202 if inserted else 200,
        detail="stored" if inserted else "already received",
        delivery_id=accepted.delivery_id,
        inbox_status=accepted.status,
        duplicate=not inserted,
    )


def handle_delivery(
    *,
    writer: InboxWriter,
    secret: str,
    body: bytes,
    signature: str | None,
    event: str | None,
    delivery_id: str | None,
    content_type: str | None = None,
    signature_checked: bool = False,
) -> Verdict:
    checked = check_delivery(
        secret=secret,
        body=body,
        signature=signature,
        event=event,
        delivery_id=delivery_id,
        content_type=content_type,
        signature_checked=signature_checked,
    )
    if isinstance(checked, Verdict):
        return checked
    return stored_verdict(checked, writer.record(**checked.model_dump()))
