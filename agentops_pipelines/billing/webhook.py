"""Verify a Stripe delivery with the SDK, store it durably, then apply it exactly once.

Verification goes through the SDK's `stripe.WebhookSignature.verify_header` (HMAC-SHA256 over
"t.body", every v1 signature of the header tried, timestamp tolerance) on the raw bytes, before
anything is parsed; the body is then validated as an event object by our own model, so a signed
body that is not a JSON object is a clear 400, not an SDK traceback. Several configured secrets
are tried in turn so an endpoint secret can be rolled without dropping deliveries. The event row
commits with the handlers' writes before any 2xx; a failed handling still stores the event
(`failed`) and the next redelivery of the same event id processes it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import stripe
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.auth import audit
from agentops_pipelines.billing.handlers import apply_event
from agentops_pipelines.billing.models import HandlerContext, StripeEvent
from agentops_pipelines.billing.tables import FAILED, PROCESSED, RECEIVED, BillingEventRow
from agentops_pipelines.store.acting_workspace import system_scope

# An event can lose an insert race once per row it writes (its own event row, the subscription
# row) and once more per concurrent twin; past this many attempts the failure is real.
_INSERT_RACE_ATTEMPTS = 5


class WebhookRejected(Exception):
    """The delivery is not a verified Stripe event; the message says why (never a secret)."""


class IngestResult(BaseModel):
    event_id: str
    type: str
    status: str
    duplicate: bool = False
    workspace: str | None = None
    detail: str | None = None


def verify_event(
    payload: bytes, header: str | None, secrets: Sequence[str], tolerance: int
) -> StripeEvent:
    """The verified event, or WebhookRejected naming what failed (signature, age or shape)."""
    if not secrets:
        raise WebhookRejected("no webhook secret configured: set STRIPE_WEBHOOK_SECRETS")
    if not header:
        raise WebhookRejected("missing Stripe-Signature header")
    reasons: list[str] = []
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(payload, header, secret, tolerance)
            break
        except stripe.SignatureVerificationError as exc:
            reasons.append(str(exc.user_message or exc))
        except (ValueError, UnicodeDecodeError) as exc:
            raise WebhookRejected(f"body is not UTF-8 text: {exc}") from exc
    else:
        # Every secret gives the same header/timestamp errors; report each distinct one once.
        distinct = "; ".join(dict.fromkeys(reasons))
        raise WebhookRejected(
            f"Stripe-Signature does not verify with any of the {len(secrets)} configured "
            f"secret(s) ({distinct}); check STRIPE_WEBHOOK_SECRETS matches the endpoint's "
            "signing secret (whsec_...)"
        )
    first = payload.lstrip()[:1]
    if first != b"{":
        kind = {b"[": "a JSON array", b"": "empty"}.get(first, "not JSON")
        raise WebhookRejected(f"signed body is {kind}; a Stripe event is one JSON object")
    try:
        return StripeEvent.model_validate_json(payload)
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise WebhookRejected(f"signed body is not a Stripe event (check {fields})") from exc


def _store(
    session: Session, event: StripeEvent, raw: str, status: str, detail: str | None
) -> BillingEventRow:
    row = session.get(BillingEventRow, event.id)
    if row is None:
        row = BillingEventRow(
            event_id=event.id,
            type=event.type,
            created=event.created,
            livemode=event.livemode,
            payload=raw,
            received_at=datetime.now(UTC),
        )
        session.add(row)
    row.status, row.detail, row.processed_at = status, detail, datetime.now(UTC)
    return row


def _handle_once(
    session_factory: sessionmaker[Session], event: StripeEvent, raw: str, ctx: HandlerContext
) -> IngestResult:
    """One transaction: skip a handled event id, else apply it and store it with its outcome.

    The event row is written after the handlers so that a handler's call to Stripe happens
    before this transaction takes SQLite's write lock.
    """
    with session_factory.begin() as session:
        stored = session.get(BillingEventRow, event.id)
        if stored is not None and stored.status not in (RECEIVED, FAILED):
            return IngestResult(
                event_id=event.id, type=event.type, status=stored.status, duplicate=True
            )
        outcome = apply_event(session, event, ctx)
        _store(session, event, raw, outcome.status, outcome.detail).workspace = outcome.workspace
        if outcome.workspace and outcome.status == PROCESSED:
            _audit(session, event, outcome.workspace, outcome.detail)
    return IngestResult(
        event_id=event.id,
        type=event.type,
        status=outcome.status,
        workspace=outcome.workspace,
        detail=outcome.detail,
    )


def _audit(session: Session, event: StripeEvent, workspace: str, detail: str | None) -> None:
    """A billing change lands in the audit trail in the transaction that makes it."""
    obj = event.obj
    audit.record(
        session,
        workspace=workspace,
        actor="stripe",
        via="webhook:stripe",
        action=f"billing.{event.type}",
        subject=f"{obj.get('object', 'object')}:{obj.get('id', '')}",
        detail={"event": event.id, "outcome": detail} if detail else {"event": event.id},
    )


def ingest_event(
    session_factory: sessionmaker[Session], event: StripeEvent, raw: str, ctx: HandlerContext
) -> IngestResult:
    """Route a signed event to its workspace (a Stripe event names a customer, session or
    subscription, not a workspace: the lookup spans workspaces, in the system scope only
    signed deliveries get) and apply it there."""
    with system_scope():
        return _ingest(session_factory, event, raw, ctx)


def _ingest(
    session_factory: sessionmaker[Session], event: StripeEvent, raw: str, ctx: HandlerContext
) -> IngestResult:
    """Apply and store a verified event; a redelivery of a handled event id is skipped.

    Handlers and the event row commit together, before the caller answers 2xx. If handling
    fails the event is still stored (status failed) and the error propagates, so the endpoint
    answers 500 and Stripe's retry handles it again.
    """
    try:
        for _ in range(_INSERT_RACE_ATTEMPTS - 1):
            try:
                return _handle_once(session_factory, event, raw, ctx)
            except IntegrityError:
                # A concurrent delivery inserted the same row first (the same event id, or
                # two events about one new subscription). Each lost race means another
                # transaction committed, so the next attempt sees its row and goes through
                # the duplicate check and the ordering rules instead.
                continue
        return _handle_once(session_factory, event, raw, ctx)
    except Exception as exc:
        detail = f"{type(exc).__name__} while applying"
        with session_factory.begin() as session:
            stored = session.get(BillingEventRow, event.id)
            # A twin that processed the event meanwhile keeps its outcome.
            if stored is None or stored.status in (RECEIVED, FAILED):
                _store(session, event, raw, FAILED, detail)
        raise
