"""Plan limits enforced (AGENTOPS_PLAN_LIMITS=on): specs admitted as partitions, seats taken by
users, and the workspace's LLM budget in the router's budget book."""

from __future__ import annotations

import threading
from pathlib import Path

import dagster as dg
import pytest
from billing_events import make_event
from billing_fake_stripe import FakeStripe
from billing_support import StripeApi
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.billing.checkout import start_plan_checkout
from agentops_pipelines.billing.entitlements import PLAN, PlanLimitExceeded, set_entitlement
from agentops_pipelines.billing.limits import (
    admit_specs,
    apply_plan_budget,
    claim_seat,
    ensure_plan_budget,
    release_seat,
)
from agentops_pipelines.billing.overview import billing_overview
from agentops_pipelines.llm.budget import BudgetBook, request_scopes
from agentops_pipelines.llm.errors import BudgetExceededError
from agentops_pipelines.llm.tables import BudgetRow
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.acting_workspace import system_scope
from agentops_pipelines.store.db import open_store

OK = "https://app.example/billing"


def _grant(store: sessionmaker[Session], workspace: str, plan: str) -> None:
    with system_scope(), store.begin() as session:
        set_entitlement(session, workspace, PLAN, plan, True, "test")


def _budget(store: sessionmaker[Session], workspace: str) -> float | None:
    with store() as session:
        row = session.get(BudgetRow, ("workspace", workspace))
    return None if row is None else row.limit_micros / 1_000_000


def test_billing_limits_switch_is_validated() -> None:
    assert load_settings({"AGENTOPS_PLAN_LIMITS": "on"}).plan_limits is True
    assert load_settings({}).plan_limits is False
    with pytest.raises(ValueError, match="AGENTOPS_PLAN_LIMITS='maybe'.*on or off"):
        load_settings({"AGENTOPS_PLAN_LIMITS": "maybe"})


def test_billing_specs_admitted_up_to_the_plan(store: sessionmaker[Session]) -> None:
    free = admit_specs(store, "acme", kept=2, new=["c.md", "d.md", "e.md"])
    assert (free.admitted, free.refused) == (["c.md"], ["d.md", "e.md"])
    assert "3 of the 3 specs of the Free plan" in free.message
    assert "d.md, e.md" in free.message and "Upgrade on the Billing page" in free.message
    _grant(store, "acme", "starter")
    starter = admit_specs(store, "acme", kept=2, new=["c.md", "d.md", "e.md"])
    assert starter.refused == [] and starter.message is None


def test_billing_seats_first_come_then_refused_until_released(
    store: sessionmaker[Session],
) -> None:
    assert claim_seat(store, "solo", "alice") == 1
    assert claim_seat(store, "solo", "alice") == 1  # a holder keeps the seat
    with pytest.raises(PlanLimitExceeded, match="all 1 seats of the Free plan; 'bob' has no seat"):
        claim_seat(store, "solo", "bob")
    assert claim_seat(store, "other", "bob") == 1  # seats are per workspace
    assert release_seat(store, "solo", "alice") is True
    assert claim_seat(store, "solo", "bob") == 1
    assert billing_overview(store, "solo").seats == ["bob"]


def test_billing_concurrent_first_uses_never_exceed_the_seats(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'app.db'}")
    _grant(store, "acme", "starter")  # 3 seats
    users = [f"user{i}" for i in range(12)]
    seated, refused, errors = [], [], []
    start = threading.Barrier(len(users))

    def claim(user: str) -> None:
        start.wait()
        try:
            seated.append((user, claim_seat(store, "acme", user)))
        except PlanLimitExceeded:
            refused.append(user)
        except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
            errors.append(repr(exc))

    threads = [threading.Thread(target=claim, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(slot for _, slot in seated) == [1, 2, 3]
    assert len(refused) == len(users) - 3
    assert sorted(billing_overview(store, "acme").seats) == sorted(u for u, _ in seated)


def test_billing_plan_budget_caps_router_reservations(store: sessionmaker[Session]) -> None:
    assert ensure_plan_budget(store, "acme") == 5.0
    book = BudgetBook(store.kw["bind"])
    scopes = request_scopes("acme", None, None)
    book.reserve(scopes, 4_000_000)
    with pytest.raises(BudgetExceededError):
        book.reserve(scopes, 2_000_000)
    # An admin's lower cap survives a restart; the plan's amount is the ceiling.
    book.set_limit("workspace", "acme", 2.0)
    assert ensure_plan_budget(store, "acme") == 2.0
    _grant(store, "acme", "team")
    with system_scope(), store.begin() as session:
        assert apply_plan_budget(session, "acme", _team(), lower_only=False) == 300.0
    assert _budget(store, "acme") == 300.0


def _team():
    from agentops_pipelines.billing.plans import load_billing_config

    return load_billing_config().plan("team")


@pytest.fixture
def limited_api(
    agentops_home: Path, stripe_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> StripeApi:
    from fastapi.testclient import TestClient

    from agentops_pipelines.api.app import create_app

    monkeypatch.setenv("AGENTOPS_PLAN_LIMITS", "on")
    settings = load_settings()
    return StripeApi(TestClient(create_app(settings)), open_store(settings.app_db_url))


def test_billing_api_start_and_plan_events_set_the_llm_budget(
    limited_api: StripeApi, stripe_client, fake_stripe: FakeStripe
) -> None:
    store = limited_api.store
    assert _budget(store, "default") == 5.0  # the API capped its own workspace at start-up
    url = start_plan_checkout(store, stripe_client, "acme", "starter", OK, OK)
    completed = fake_stripe.complete_session(url.rsplit("/", 1)[1])
    event = make_event(
        "checkout.session.completed", completed, created=1_900_000_000, event_id="evt_l1"
    )
    assert limited_api.deliver(event).status_code == 200
    assert _budget(store, "acme") == 50.0
    sub = fake_stripe.subscriptions[completed["subscription"]]
    deleted = make_event(
        "customer.subscription.deleted",
        dict(sub, status="canceled"),
        created=1_900_000_060,
        event_id="evt_l2",
    )
    assert limited_api.deliver(deleted).status_code == 200
    assert _budget(store, "acme") == 5.0


def test_billing_api_refuses_a_user_beyond_the_seats(limited_api: StripeApi) -> None:
    from tests.auth_support import auth_headers

    app = limited_api.client.app
    people = {u: auth_headers(app, u, "viewer", workspace="solo") for u in ("alice", "bob")}

    def browse(user: str | None):
        headers = people[user] if user else {}
        return limited_api.client.get("/api/marketplace/templates", headers=headers)

    assert browse("alice").status_code == 200
    refused = browse("bob")
    assert refused.status_code == 402
    assert "has no seat" in refused.json()["detail"]["message"]
    assert browse(None).status_code == 401  # anonymous callers are refused (and hold no seat)
    assert browse("alice").status_code == 200


def test_billing_spec_sensor_plan_leaves_out_specs_over_the_limit(
    agentops_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentops_pipelines.defs.sensors.spec_source import plan_for
    from agentops_pipelines.resources.spec_source import SpecSource
    from agentops_pipelines.specs.sync import load_cursor

    specs = tmp_path / "specs"
    for name in "abcde":
        (specs / name).mkdir(parents=True)
        (specs / name / "spec.md").write_text(
            f"# Spec {name}\n\n- FR-001: The system MUST {name}.\n"
        )
    instance = dg.DagsterInstance.ephemeral()
    source = SpecSource(path=str(specs))

    monkeypatch.setenv("AGENTOPS_PLAN_LIMITS", "on")
    plan = plan_for(instance, None, source)
    assert plan.add_partitions == ["a/spec.md", "b/spec.md", "c/spec.md"]
    assert [k for k, _ in plan.runs] == plan.add_partitions
    assert plan.refused == ["d/spec.md", "e/spec.md"]
    assert "not ingested: d/spec.md, e/spec.md" in plan.notice
    # Refused specs stay out of the cursor, so they are offered again once there is room.
    assert sorted(load_cursor(plan.cursor)) == plan.add_partitions

    instance.add_dynamic_partitions("spec", plan.add_partitions)
    _grant(open_store(load_settings().app_db_url), "default", "starter")
    later = plan_for(instance, plan.cursor, source)
    assert later.add_partitions == ["d/spec.md", "e/spec.md"] and later.refused == []

    monkeypatch.setenv("AGENTOPS_PLAN_LIMITS", "off")
    assert plan_for(dg.DagsterInstance.ephemeral(), None, source).refused == []
