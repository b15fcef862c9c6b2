"""Two workspaces side by side in one deployment (issue 16, item 3): through the API neither
sees or changes the other's specs, plans, suggestions, proposals, forks or bills; entitlements,
seats and the SpecGPT rate limit key on the authenticated workspace and user; and the changes
land in the one audit trail."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import stripe
from fastapi import FastAPI
from fastapi.testclient import TestClient

from agentops_pipelines.api.auth_layer import auth_store
from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.assistant import safety
from agentops_pipelines.assistant.suggest import sha256_text
from agentops_pipelines.assistant.tables import PROPOSED, SuggestionRow, UsageRow
from agentops_pipelines.auth import audit
from agentops_pipelines.auth.context import set_acting
from agentops_pipelines.auth.principal import Principal
from agentops_pipelines.auth.roles import Role
from agentops_pipelines.billing.entitlements import can_download, set_entitlement
from agentops_pipelines.billing.limits import claim_seat
from agentops_pipelines.billing.overview import billing_overview
from agentops_pipelines.gitops.changes.proposals import (
    ProposedChange,
    ProposedFile,
    upsert_proposal,
)
from agentops_pipelines.planning import build_plan, build_task_graph
from agentops_pipelines.planning.spec_input import PLAN_KIND, TASK_GRAPH_KIND, parse_spec_text
from agentops_pipelines.store.acting_workspace import within
from agentops_pipelines.store.scoping import ForeignWorkspaceWrite
from tests.auth_support import auth_headers

RED, BLUE = "default", "blue"  # red is the deployment's workspace: its pipelines' artefacts
SPEC = "shop/spec.md"
SPEC_MD = """# Shop

## Requirements
- FR-1: The system shall list products.
  - Acceptance: GET /products returns them.
"""


@pytest.fixture(autouse=True)
def _own_specs_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An accepted suggestion writes its spec file: into this test's folder, never examples/."""
    specs = tmp_path / "specs"
    specs.mkdir()
    monkeypatch.setenv("AGENTOPS_SPECS_PATH", str(specs))


def _plan_artefacts(app: FastAPI) -> None:
    doc = parse_spec_text(SPEC, SPEC_MD)
    plan = build_plan(doc, "rest_service")
    store = ArtefactStore(app.state.settings.artefact_root)
    store.write_model(PLAN_KIND, SPEC, plan)
    store.write_model(TASK_GRAPH_KIND, SPEC, build_task_graph(plan))
    store.write_model("spec_document", SPEC, doc)


def _suggestion(app: FastAPI, workspace: str, base: str = "", new: str = SPEC_MD) -> int:
    sessions = auth_store(app.state.settings.app_db_url)
    with within(workspace), sessions.begin() as session:
        row = SuggestionRow(
            workspace=workspace, spec_id=SPEC, feature="suggest", kind="missing_criteria",
            requirement_id="FR-1", title="t", proposal="p", diff="", base_hash=sha256_text(base),
            new_text=new, template="t", template_version="1", model="rules",
            status=PROPOSED, created_by="ada", created_at=datetime.now(UTC),
        )  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


def _proposal(app: FastAPI, workspace: str) -> int:
    change = ProposedChange(
        spec_id=SPEC, repo=f"{workspace}/shop", base="main", branch=f"agentops/{workspace}/t-1",
        title="T-1", source="plan_checklist", task_ids=["T-1"],
        files=[ProposedFile(path="docs/t.md", content="x\n")],
    )  # fmt: skip
    try:
        set_acting(Principal(subject="seed", workspace=workspace, role=Role.OWNER, via="test"))
        proposal, _ = upsert_proposal(auth_store(app.state.settings.app_db_url), change)
    finally:
        set_acting(None)
    return proposal.id


@pytest.fixture
def two(full_app: FastAPI) -> tuple[TestClient, dict[str, str], dict[str, str]]:
    client = TestClient(full_app)
    red = auth_headers(full_app, "rita", "owner", workspace=RED)
    blue = auth_headers(full_app, "bo", "owner", workspace=BLUE)
    return client, red, blue


def test_plans_and_specs_are_the_deployment_workspace_s(full_app: FastAPI, two) -> None:
    client, red, blue = two
    _plan_artefacts(full_app)
    for path in (f"/api/plans/{SPEC}", f"/api/plans/{SPEC}/tasks"):
        assert client.get(path, headers=red).status_code == 200, path
        assert client.get(path, headers=blue).status_code == 404, path
    body = {"spec_id": SPEC, "template": "rest_service"}
    assert client.post("/api/plan-builder", json=body, headers=red).status_code == 200
    assert client.post("/api/plan-builder", json=body, headers=blue).status_code == 404
    gaps = f"/api/assistant/specs/{SPEC}/gaps"
    assert client.get(gaps, headers=red).status_code == 200
    assert client.get(gaps, headers=blue).status_code == 404


def test_suggestions_are_neither_seen_nor_decided_across(full_app: FastAPI, two) -> None:
    client, red, blue = two
    red_id, blue_id = _suggestion(full_app, RED), _suggestion(full_app, BLUE)
    seen = {
        name: [s["id"] for s in client.get("/api/assistant/suggestions", headers=h).json()]
        for name, h in (("red", red), ("blue", blue))
    }
    assert seen == {"red": [red_id], "blue": [blue_id]}
    reject = {"reason": "not ours"}
    url = f"/api/assistant/suggestions/{red_id}"
    assert client.post(f"{url}/reject", json=reject, headers=blue).status_code == 404
    assert client.post(f"{url}/accept", headers=blue).status_code == 404
    assert client.post(f"{url}/reject", json=reject, headers=red).status_code == 204


def test_proposals_are_neither_seen_nor_approved_across(full_app: FastAPI, two) -> None:
    client, red, blue = two
    red_id, blue_id = _proposal(full_app, RED), _proposal(full_app, BLUE)
    listed = client.get("/api/git/proposals", headers=blue).json()
    assert [p["id"] for p in listed] == [blue_id]
    assert client.get(f"/api/git/proposals/{red_id}", headers=blue).status_code == 404
    decision = {"approve": True, "reason": "lgtm"}
    url = f"/api/git/proposals/{red_id}/decision"
    assert client.post(url, json=decision, headers=blue).status_code == 404
    assert client.get(f"/api/git/proposals/{red_id}", headers=red).status_code == 200


def test_forks_of_templates_stay_in_their_workspace(full_app: FastAPI, two) -> None:
    client, red, blue = two
    forked = client.post("/api/marketplace/templates/bugfix-spec/fork", headers=red)
    assert forked.status_code == 200, forked.text
    assert [f["slug"] for f in client.get("/api/marketplace/forks", headers=red).json()] == [
        "bugfix-spec"
    ]
    assert client.get("/api/marketplace/forks", headers=blue).json() == []
    assert client.get("/api/marketplace/forks/bugfix-spec/diff", headers=blue).status_code == 404
    assert client.post("/api/marketplace/forks/bugfix-spec/update", headers=blue).status_code == 404
    # The public catalogue still counts every workspace's forks.
    cards = client.get("/api/marketplace/templates", headers=blue).json()
    assert next(c for c in cards if c["slug"] == "bugfix-spec")["forks"] == 1


def test_bills_entitlements_and_seats_key_on_the_acting_workspace(full_app: FastAPI) -> None:
    sessions = auth_store(full_app.state.settings.app_db_url)
    with within(RED), sessions.begin() as session:
        set_entitlement(session, RED, "template", "nfr-pack", True, "evt_paid")
    assert can_download(sessions, RED, "nfr-pack")
    assert not can_download(sessions, BLUE, "nfr-pack")
    assert [e["key"] for e in billing_overview(sessions, RED).entitlements] == ["nfr-pack"]
    assert billing_overview(sessions, BLUE).entitlements == []
    try:  # a blue caller cannot read red's bill, even by naming red
        set_acting(Principal(subject="bo", workspace=BLUE, role=Role.OWNER, via="test"))
        assert not can_download(sessions, RED, "nfr-pack")
        assert billing_overview(sessions, RED).entitlements == []
        with pytest.raises(ForeignWorkspaceWrite), sessions.begin() as session:
            set_entitlement(session, RED, "template", "other", True, "forged")
    finally:
        set_acting(None)
    # One user name in two workspaces holds a seat in each (the seat is per workspace).
    assert claim_seat(sessions, RED, "sam") == claim_seat(sessions, BLUE, "sam") == 1


def test_specgpt_rate_limit_keys_on_workspace_and_user(full_app: FastAPI, monkeypatch) -> None:
    monkeypatch.setenv(safety.RATE_LIMIT_ENV, "2")
    sessions = auth_store(full_app.state.settings.app_db_url)
    with within(RED), sessions.begin() as session:
        for _ in range(2):
            session.add(UsageRow(
                at=datetime.now(UTC), workspace=RED, user_name="sam", feature="ask",
                outcome="ok",
            ))  # fmt: skip
    with within(RED), pytest.raises(safety.SpecGPTRefusal, match="limit 2"):
        safety.check_rate(sessions, "sam")
    with within(RED):
        safety.check_rate(sessions, "kim")  # another user of the same workspace
    with within(BLUE):
        safety.check_rate(sessions, "sam")  # the same name in another workspace


def _stripe_delivery(client: TestClient, event: dict) -> int:
    payload = json.dumps(event)
    stamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{stamp}.{payload}", "whsec_for_tests")
    headers = {"Stripe-Signature": f"t={stamp},v1={signature}", "Content-Type": "application/json"}
    return client.post("/webhooks/stripe", content=payload, headers=headers).status_code


def test_audit_trail_covers_billing_role_token_spec_and_moderation(full_app: FastAPI, two) -> None:
    client, red, blue = two
    sessions = auth_store(full_app.state.settings.app_db_url)
    # Billing: a signed Stripe event that changes blue's subscription.
    sub = {
        "id": "sub_blue", "object": "subscription", "customer": "cus_blue", "status": "active",
        "metadata": {"workspace": BLUE, "plan": "team"},
        "items": {"object": "list", "data": []},
    }  # fmt: skip
    event = {
        "id": "evt_blue_1", "object": "event", "type": "customer.subscription.created",
        "created": int(time.time()), "livemode": False, "data": {"object": sub},
    }  # fmt: skip
    assert _stripe_delivery(client, event) == 200
    # Role change and token use (blue's owner's token was used by the calls above/below).
    put = client.put("/api/auth/members/vic", json={"role": "viewer"}, headers=blue)
    assert put.status_code == 200
    # Spec write: red accepts a suggestion that rewrites its spec file.
    specs = full_app.state.settings.specs_path
    (specs / SPEC).parent.mkdir(parents=True, exist_ok=True)
    (specs / SPEC).write_text(SPEC_MD, encoding="utf-8")
    suggestion = _suggestion(full_app, RED, base=SPEC_MD, new=SPEC_MD + "\nMore.\n")
    accepted = client.post(f"/api/assistant/suggestions/{suggestion}/accept", headers=red)
    assert accepted.status_code == 200, accepted.text
    assert (specs / SPEC).read_text(encoding="utf-8").endswith("More.\n")
    # Moderation: blue's moderator approves blue's owner's upload.
    md = "---\ntitle: Blue spec\nkind: spec_template\nlicense: MIT\nversion: 1.0.0\n"
    md += "description: A spec template uploaded from the blue workspace.\ntags: [x]\n---\n"
    md += "# Blue\n\n## FR-001 Pay\nThe user pays by card.\n"
    up = client.post("/api/marketplace/templates", files={"file": ("t.md", md)}, headers=blue)
    assert up.status_code == 201, up.text
    moderator = auth_headers(full_app, "mo", "moderator", workspace=BLUE)
    approved = client.post(
        "/api/marketplace/moderation/blue-spec/1.0.0/approve", json={"reason": "fine"},
        headers=moderator,
    )  # fmt: skip
    assert approved.status_code == 204, approved.text

    blue_events = audit.events(sessions, BLUE)
    red_events = audit.events(sessions, RED)
    blue_actions = {e.action for e in blue_events}
    assert {
        "billing.customer.subscription.created", "role.change", "token.use",
        "moderation.approve",
    } <= blue_actions, blue_actions  # fmt: skip
    billing = next(e for e in blue_events if e.action.startswith("billing."))
    assert (billing.actor, billing.via, billing.subject) == (
        "stripe", "webhook:stripe", "subscription:sub_blue",
    )  # fmt: skip
    moderation = next(e for e in blue_events if e.action == "moderation.approve")
    assert moderation.actor == "mo" and moderation.via.startswith("token:")
    write = next(e for e in red_events if e.action == "spec.write")
    assert (write.actor, write.subject) == ("rita", f"spec:{SPEC}")
    assert write.via.startswith("token:") and write.detail == {
        "suggestion": suggestion, "base_hash": sha256_text(SPEC_MD),
    }  # fmt: skip
    assert not any(e.action.startswith(("billing.", "moderation.")) for e in red_events)
    assert not any(e.action == "spec.write" for e in blue_events)
