"""Shuffled, duplicated Stripe deliveries through POST /webhooks/stripe (in-process app).

Builds the lifecycle created -> trial_ended -> updated(past_due) -> deleted for many
subscriptions from the shared pay-rails fixtures, adds ~10% redeliveries, shuffles everything
(out-of-order delivery), signs each body and posts it through the real SDK-based verifier on a
SQLite app store in a temp dir. Checks that every subscription ends canceled at the last stamp and
every event is stored once. Last line:

    events=<n> stored=<n> wrong_final=0 rate_per_s=<v> p50_ms=<v> p95_ms=<v>

Usage: .venv/bin/python benchmarks/billing_webhook.py --subscriptions 300
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import hmac
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "data" / "stripe_webhooks" / "pay-rails-fixtures"
SECRET = "whsec_bench_secret"
STEPS = [
    ("subscription.created.json", "customer.subscription.created", "trialing"),
    ("subscription.trial_ended.json", "customer.subscription.updated", "active"),
    ("subscription.created.json", "customer.subscription.updated", "past_due"),
    ("subscription.deleted.json", "customer.subscription.deleted", "canceled"),
]


def _events(n_subs: int, rng: random.Random) -> list[dict]:
    objects = {f: json.loads((FIXTURES / f).read_text())["object"] for f, _, _ in STEPS}
    events = []
    for i in range(n_subs):
        for step, (fixture, event_type, status) in enumerate(STEPS):
            obj = copy.deepcopy(objects[fixture])
            obj.update(id=f"sub_bench_{i}", status=status)
            events.append(
                {
                    "id": f"evt_bench_{i}_{step}",
                    "object": "event",
                    "created": 1_700_000_000 + step * 60,
                    "livemode": False,
                    "type": event_type,
                    "data": {"object": obj},
                }
            )
    events += rng.sample(events, k=len(events) // 10)
    rng.shuffle(events)
    return events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=300)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="billing-bench-"))
    os.environ.update(AGENTOPS_HOME=str(home), STRIPE_WEBHOOK_SECRETS=SECRET)
    os.environ.pop("STRIPE_SECRET_KEY", None)
    os.environ.pop("AGENTOPS_DB_URL", None)
    sys.path.insert(0, str(ROOT))
    from fastapi.testclient import TestClient
    from sqlalchemy import func, select

    from agentops_pipelines.api.app import create_app
    from agentops_pipelines.billing.customers import link_customer
    from agentops_pipelines.billing.tables import BillingEventRow, BillingSubscriptionRow
    from agentops_pipelines.settings import load_settings
    from agentops_pipelines.store.db import open_store

    settings = load_settings()
    store = open_store(settings.app_db_url)
    with store.begin() as session:
        link_customer(session, "bench", "cus_00000000000000")
    client = TestClient(create_app(settings))
    events = _events(args.subscriptions, random.Random(7))
    latencies = []
    started = time.perf_counter()
    for event in events:
        body = json.dumps(event)
        t = int(time.time())
        sig = hmac.new(SECRET.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
        t0 = time.perf_counter()
        response = client.post(
            "/webhooks/stripe", content=body, headers={"Stripe-Signature": f"t={t},v1={sig}"}
        )
        latencies.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.text
    elapsed = time.perf_counter() - started
    with store() as session:
        stored = session.scalar(select(func.count()).select_from(BillingEventRow))
        wrong = session.scalar(
            select(func.count())
            .select_from(BillingSubscriptionRow)
            .where(
                (BillingSubscriptionRow.status != "canceled")
                | (BillingSubscriptionRow.stamp != 1_700_000_180)
            )
        )
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(f"subscriptions={args.subscriptions} deliveries={len(events)} seconds={elapsed:.2f}")
    print(
        f"events={len(events)} stored={stored} wrong_final={wrong} "
        f"rate_per_s={len(events) / elapsed:.0f} p50_ms={statistics.median(latencies):.2f} "
        f"p95_ms={p95:.2f}"
    )


if __name__ == "__main__":
    main()
