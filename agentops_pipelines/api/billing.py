"""POST /webhooks/stripe (SDK-verified, stored durably, applied idempotently) and plan checkout."""

from __future__ import annotations

import logging

import stripe
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.checkout import start_plan_checkout
from agentops_pipelines.billing.client import (
    StripeSettings,
    build_stripe_client,
    subscription_fetcher,
)
from agentops_pipelines.billing.models import HandlerContext
from agentops_pipelines.billing.plans import load_billing_config
from agentops_pipelines.billing.webhook import WebhookRejected, ingest_event, verify_event
from agentops_pipelines.body_limit import read_limited

# Stripe events are small (tens of KB); a much larger body is not from Stripe.
STRIPE_MAX_PAYLOAD_BYTES = 1024 * 1024
_log = logging.getLogger(__name__)


def stripe_webhook_router(
    settings: StripeSettings,
    session_factory: sessionmaker[Session],
    max_body_bytes: int = STRIPE_MAX_PAYLOAD_BYTES,
    enforce_limits: bool = False,
) -> APIRouter:
    """A router bound to the configured signing secrets and the app store; with
    `enforce_limits`, a plan change also sets the workspace's LLM budget."""
    if not settings.webhook_enabled:
        raise ValueError("no Stripe webhook secret: set STRIPE_WEBHOOK_SECRETS (whsec_...)")
    secrets = [s.get_secret_value() for s in settings.webhook_secrets]
    fetch = (
        subscription_fetcher(build_stripe_client(settings)) if settings.checkout_enabled else None
    )
    context = HandlerContext(
        config=load_billing_config(), fetch_subscription=fetch, enforce_limits=enforce_limits
    )
    router = APIRouter(tags=["webhooks"])

    @router.post(
        "/webhooks/stripe",
        summary="Receive a Stripe webhook event",
        responses={
            200: {
                "description": "Verified and stored (processed, ignored, unmatched or a duplicate)"
            },
            400: {
                "description": "Missing/invalid Stripe-Signature, expired timestamp or not an event"
            },
            413: {"description": "Body larger than the configured limit"},
            500: {"description": "Stored but not applied; Stripe's retry will apply it"},
        },
    )
    async def receive_stripe(request: Request) -> JSONResponse:
        body = await read_limited(
            request.stream(), max_body_bytes, request.headers.get("content-length")
        )
        if body is None:
            return JSONResponse(
                {"detail": f"body exceeds the limit of {max_body_bytes} bytes"}, status_code=413
            )
        try:
            event = verify_event(
                body, request.headers.get("stripe-signature"), secrets, settings.tolerance_seconds
            )
        except WebhookRejected as exc:
            return JSONResponse({"detail": str(exc)}, status_code=400)
        raw = body.decode("utf-8")
        try:
            # In a thread: handling may call Stripe (GET /v1/subscriptions) and waits on SQLite.
            result = await run_in_threadpool(ingest_event, session_factory, event, raw, context)
        except Exception:
            _log.exception("stripe event %s (%s) stored but not applied", event.id, event.type)
            return JSONResponse(
                {"detail": f"event {event.id} stored but not applied; it will be retried"},
                status_code=500,
            )
        return JSONResponse(result.model_dump(exclude_none=True), status_code=200)

    return router


class PlanCheckoutRequest(BaseModel):
    workspace: str = Field(min_length=1, max_length=200)
    plan: str = Field(min_length=1, max_length=50, examples=["starter", "team"])


class CheckoutResponse(BaseModel):
    url: str = Field(description="Stripe Checkout page to redirect the user to")


def billing_api_router(
    settings: StripeSettings, session_factory: sessionmaker[Session], public_url: str
) -> APIRouter:
    """POST /api/billing/checkout: a plan's Checkout Session URL for a workspace.

    Return URLs are fixed server-side (never taken from the request) so the endpoint cannot be
    used as an open redirect.
    """
    client = build_stripe_client(settings)
    back = public_url.rstrip("/") + "/billing"
    router = APIRouter(tags=["billing"])

    @router.post(
        "/api/billing/checkout",
        response_model=CheckoutResponse,
        summary="Start a Stripe Checkout for a plan",
        responses={
            404: {"description": "The workspace is not the caller's"},
            422: {"description": "Unknown or free plan"},
            502: {"description": "Stripe refused or could not be reached"},
        },
    )
    def plan_checkout(
        body: PlanCheckoutRequest, request: Request
    ) -> CheckoutResponse | JSONResponse:
        # The workspace header is the authenticated one (api.auth_layer): only its own bill.
        if body.workspace != request.headers.get("x-agentops-workspace"):
            detail = f"no workspace {body.workspace!r} for this credential"
            return JSONResponse({"detail": detail}, status_code=404)
        try:
            url = start_plan_checkout(
                session_factory,
                client,
                body.workspace,
                body.plan,
                f"{back}?checkout=success",
                f"{back}?checkout=cancel",
            )
        except (KeyError, ValueError) as exc:
            return JSONResponse({"detail": str(exc).strip("'\"")}, status_code=422)
        except stripe.StripeError as exc:
            reason = exc.user_message or type(exc).__name__
            detail = f"Stripe refused the checkout: {reason}"
            return JSONResponse({"detail": detail}, status_code=502)
        return CheckoutResponse(url=url)

    return router
