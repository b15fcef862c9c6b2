"""The gitops tables on real PostgreSQL: inbox idempotency, proposals, decisions, status sync."""

from __future__ import annotations

import pytest
from gitops_repos import check_run_payload

from agentops_pipelines.gitops.changes.approval import decide
from agentops_pipelines.gitops.changes.proposals import (
    ProposedChange,
    ProposedFile,
    upsert_proposal,
)
from agentops_pipelines.gitops.inbox.reader import InboxWriter, read_inbox
from agentops_pipelines.gitops.status.host_status import apply_check, check_signal
from agentops_pipelines.store.db import make_engine, open_store

pytestmark = pytest.mark.postgres


def test_gitops_flow_on_postgres(pg_url: str) -> None:
    sessions = open_store(pg_url)
    writer = InboxWriter(make_engine(pg_url))
    args = dict(delivery_id="d-1", event="push", action=None, payload="{}", status="pending")
    assert writer.record(**args) is True and writer.record(**args) is False
    assert [r.delivery_id for r in read_inbox(sessions, 0, 10)] == ["d-1"]
    proposal, outcome = upsert_proposal(
        sessions,
        ProposedChange(
            spec_id="s/spec.md",
            repo="acme/shop",
            base="main",
            branch="agentops/s/tasks-checklist",
            title="t",
            source="plan_checklist",
            task_ids=["T-1"],
            files=[ProposedFile(path="a.md", content="a")],
        ),
    )
    assert outcome == "created"
    assert (
        decide(sessions, proposal.id, approve=True, actor="ana", reason="ok").status == "approved"
    )
    signal = check_signal(
        "check_run", check_run_payload("acme/shop", "f" * 40, proposal.branch, "success")
    )
    assert apply_check(sessions, signal) == "s/spec.md"
