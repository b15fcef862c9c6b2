"""Circuit-breaker state in the app store (table `llm_breaker`), shared by every process.

Writes happen only when something changes (a failure, a recovery, a transition), never on the
happy path; readers poll at most once per `breaker.sync_s`. A half-open probe is claimed with a
compare-and-set on `generation`, so across processes only one probe reaches a recovering
provider. A store error never fails an LLM call: the breaker then runs on its local state.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import Engine, Row, bindparam, select, text
from sqlalchemy.exc import SQLAlchemyError

from agentops_pipelines.llm.tables import BreakerRow

log = logging.getLogger(__name__)
_TABLE = BreakerRow.__table__
_SELECT_ONE = select(_TABLE).where(_TABLE.c.provider == bindparam("p"))
_UPSERT = text(
    "INSERT INTO llm_breaker (provider, state, consecutive_failures, window_requests, "
    "window_failures, opened_at, since, updated_at, generation) VALUES (:provider, :state, "
    ":consecutive_failures, :window_requests, :window_failures, :opened_at, :since, "
    ":updated_at, 1) "
    "ON CONFLICT (provider) DO UPDATE SET state = excluded.state, "
    "consecutive_failures = excluded.consecutive_failures, "
    "window_requests = excluded.window_requests, window_failures = excluded.window_failures, "
    "opened_at = excluded.opened_at, since = excluded.since, updated_at = excluded.updated_at, "
    "generation = llm_breaker.generation + 1 RETURNING generation"
)
_CLAIM = text(
    "UPDATE llm_breaker SET state = 'half_open', since = :now, updated_at = :now, "
    "generation = generation + 1 WHERE provider = :p AND generation = :g"
)


class BreakerStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def read(self, provider: str) -> Row | None:
        try:
            with self.engine.connect() as conn:
                return conn.execute(_SELECT_ONE, {"p": provider}).first()
        except SQLAlchemyError as exc:
            log.warning("breaker state of %s unreadable (%s): using local state", provider, exc)
            return None

    def write(self, values: dict[str, Any]) -> int | None:
        """Upsert one provider's state; returns the new generation (None if the store failed)."""
        try:
            with self.engine.begin() as conn:
                return int(
                    conn.execute(_UPSERT, {**values, "updated_at": time.time()}).scalar_one()
                )
        except SQLAlchemyError as exc:
            log.warning("breaker state of %s not saved (%s)", values.get("provider"), exc)
            return None

    def claim_probe(self, provider: str, generation: int, now: float) -> bool:
        """Move OPEN (or a stale HALF_OPEN) to HALF_OPEN iff nobody wrote since `generation`."""
        try:
            with self.engine.begin() as conn:
                claimed = conn.execute(_CLAIM, {"p": provider, "g": generation, "now": now})
                if claimed.rowcount == 1:
                    return True
                # No row at all (its write failed earlier): nobody else can hold the probe.
                return conn.execute(_SELECT_ONE, {"p": provider}).first() is None
        except SQLAlchemyError as exc:
            log.warning("breaker probe claim of %s failed (%s): probing locally", provider, exc)
            return True

    def all(self) -> list[dict[str, Any]]:
        """Every persisted breaker, for the UI and the API."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(_TABLE).order_by(_TABLE.c.provider))
            return [dict(r._mapping) for r in rows]
