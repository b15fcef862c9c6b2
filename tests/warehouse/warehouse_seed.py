"""Seed an app store with ledger, budget, retrieval and inbox rows, the way the product writes
them (through the SQLAlchemy tables), for the warehouse tests and the benchmark."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from agentops_pipelines.gitops.inbox.tables import WebhookInboxRow
from agentops_pipelines.llm.tables import BudgetRow, LedgerRow
from agentops_pipelines.retrieval.query_log import RetrievalQuery
from agentops_pipelines.store.acting_workspace import system_scope
from agentops_pipelines.store.db import make_engine, migrate


def ledger_row(at: datetime, **overrides: object) -> LedgerRow:
    values: dict[str, object] = dict(
        at=at,
        request_hash="h-" + str(overrides.get("request_hash", "a")),
        workspace="acme",
        spec="billing/spec.md",
        run_id=None,
        task_type="plan",
        provider="openai",
        model="gpt-4o-mini",
        attempt=1,
        tokens_in=1000,
        tokens_out=200,
        cost_micros=1500,
        price_version="2026-01",
        latency_ms=120.0,
        cache_hit=False,
        outcome="ok",
        error_class=None,
    )
    values.update(overrides)
    return LedgerRow(**values)


def seed_app_store(db_url: str, day: datetime, run_id: str | None = None) -> dict[str, int]:
    """Rows on `day` and one on the day before (which a `day` extract must leave out), for
    several workspaces (written in the system scope, as the KPI extract reads them)."""
    with system_scope():
        return _seed_app_store(db_url, day, run_id)


def _seed_app_store(db_url: str, day: datetime, run_id: str | None) -> dict[str, int]:
    migrate(db_url)
    engine = make_engine(db_url)
    noon = day.replace(hour=12, minute=0, second=0, microsecond=0, tzinfo=UTC)
    ledger = [
        ledger_row(noon, request_hash="a", run_id=run_id),
        ledger_row(
            noon,
            request_hash="a",
            cost_micros=0,
            tokens_in=0,
            tokens_out=0,
            cache_hit=True,
            outcome="cache_hit",
            attempt=0,
        ),
        ledger_row(
            noon,
            request_hash="b",
            provider="mistral",
            model="mistral-small",
            outcome="error",
            error_class="timeout",
            cost_micros=0,
        ),
        ledger_row(
            noon, request_hash="c", workspace="globex", task_type="codegen", cost_micros=250_000
        ),
        ledger_row(noon - timedelta(days=1), request_hash="old"),
    ]
    queries = [
        RetrievalQuery(
            at=noon,
            query="refund policy",
            mode="hybrid",
            backend="embedded",
            filters="{}",
            top_k=5,
            result_count=3,
            latency_ms=12.5,
            source="api",
        ),
        RetrievalQuery(
            at=noon,
            query="nothing here",
            mode="bm25",
            backend="embedded",
            filters="{}",
            top_k=5,
            result_count=0,
            latency_ms=8.0,
            source="cli",
        ),
    ]
    with Session(engine) as session, session.begin():
        session.add_all(ledger)
        session.add_all(queries)
        session.add(
            BudgetRow(
                scope="workspace",
                key="acme",
                limit_micros=1_666,
                spent_micros=1_500,
                reserved_micros=0,
            )
        )
        session.add(
            WebhookInboxRow(
                delivery_id="d-1",
                event="push",
                action=None,
                received_at=noon,
                payload=json.dumps({"secret": "x"}),
                status="pending",
            )
        )
    engine.dispose()
    return {"ledger_on_day": 4, "queries_on_day": 2}


def seed_other_domains(db_url: str, day: datetime) -> None:
    """Suggestions, proposals, marketplace and billing rows, through the tables as migrated (by
    reflection, so this seed follows those domains' schemas without importing their models)."""
    with system_scope():
        _seed_other_domains(db_url, day)


def _seed_other_domains(db_url: str, day: datetime) -> None:
    engine = make_engine(db_url)
    noon = day.replace(hour=12, minute=0, second=0, microsecond=0, tzinfo=UTC)
    meta = sa.MetaData()
    meta.reflect(engine)

    def add(table: str, *rows: dict) -> None:
        with engine.begin() as conn:
            conn.execute(sa.insert(meta.tables[table]), list(rows))

    suggestion = dict(
        workspace="acme",
        spec_id="billing/spec.md",
        feature="specgpt",
        kind="clarify",
        requirement_id="REQ-1",
        title="t",
        proposal="p",
        diff="d",
        base_hash="h",
        new_text="n",
        template="rest_service",
        template_version="1",
        model="offline",
        status="accepted",
        created_by="ann",
        created_at=noon,
    )
    add(
        "assistant_suggestion",
        suggestion,
        suggestion | {"status": "rejected"},
        suggestion | {"status": "proposed"},
    )
    decision = dict(decided_by="ann", decided_at=noon, reason=None)
    add(
        "assistant_decision",
        decision | {"suggestion_id": 1, "decision": "accept"},
        decision | {"suggestion_id": 2, "decision": "reject"},
    )
    proposal = dict(
        spec_id="billing/spec.md",
        repo="acme/app",
        task_ids="[]",
        title="t",
        base="main",
        source="codegen",
        files="[]",
        diff="",
        evidence="",
        content_hash="c",
        created_at=noon,
        updated_at=noon,
    )
    add(
        "gitops_proposals",
        proposal | {"branch": "b1", "status": "pushed", "pr_number": 7},
        proposal | {"branch": "b2", "status": "failed", "pr_number": None},
        proposal | {"branch": "b3", "status": "proposed", "pr_number": None},
    )
    add(
        "mp_template",
        dict(
            slug="rest",
            kind="template",
            title="REST",
            description="d",
            author="ann",
            license="MIT",
            tags=[],
            status="published",
            price_cents=500,
            created_at=noon,
            updated_at=noon,
        ),
    )
    add(
        "mp_version",
        dict(
            template_id=1,
            version="1.0.0",
            changelog="",
            content="",
            files={},
            meta={},
            sha256="s",
            status="published",
            created_at=noon,
        ),
    )
    add(
        "mp_download",
        dict(template_id=1, version="1.0.0", user="bob", workspace="globex", at=noon),
        dict(template_id=1, version="1.0.0", user="cy", workspace="acme", at=noon),
    )
    add(
        "mp_fork",
        dict(
            template_id=1,
            upstream_version="1.0.0",
            workspace="globex",
            forked_by="bob",
            content="",
            created_at=noon,
        ),
    )
    add(
        "mp_rating",
        dict(template_id=1, user="bob", stars=4, updated_at=noon),
        dict(template_id=1, user="cy", stars=5, updated_at=noon),
    )
    add(
        "billing_purchase",
        dict(
            session_id="cs_1",
            workspace="globex",
            kind="template",
            item="rest",
            amount_cents=500,
            currency="usd",
            status="complete",
            payment_status="paid",
            created_at=noon,
            completed_at=noon,
        ),
    )
    engine.dispose()
