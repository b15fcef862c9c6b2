"""Budgets per workspace, spec and run: reserve the call's cost before it (the known prompt, the
output capped by max_tokens), settle the real cost after. The check and the reservation happen in
one write transaction, so concurrent threads and processes can never together exceed a limit.
Each reservation is a lease (llm.leases): a caller that dies leaves budget held only until the
lease expires; a settled cost above the reservation is capped and flagged."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select, text, update

from agentops_pipelines.llm import leases
from agentops_pipelines.llm.sqlite_hot import (
    RESERVE,
    SELECT_SCOPES,
    SETTLE,
    SqliteHotPath,
    sqlite_path,
)
from agentops_pipelines.llm.store import write_outcome
from agentops_pipelines.llm.tables import BudgetRow
from agentops_pipelines.store.db import Base

# One fixed statement for all three scopes (a NULL key matches nothing): cheap on the hot path.
_SELECT_SQLITE = text(SELECT_SCOPES)
_SELECT_LOCKING = text(SELECT_SCOPES + " FOR UPDATE")
_RESERVE = text(RESERVE)
_SETTLE = text(SETTLE)


@dataclass(frozen=True)
class Reservation:
    scopes: tuple[tuple[str, str], ...]
    micros: int
    lease_id: str | None = None
    out_tokens: int | None = None


def request_scopes(workspace: str, spec: str | None, run_id: str | None) -> dict[str, str | None]:
    return {"w": workspace, "s": spec, "r": run_id}


def upsert_limit(
    conn: Connection, scope: str, key: str, limit_micros: int, lower_only: bool = False
) -> int:
    """Create or change one budget's limit in the caller's transaction; returns the limit in
    force. `lower_only` keeps a lower limit already set (an admin's tighter cap)."""
    table = Base.metadata.tables["llm_budget"]
    where = (table.c.scope == scope) & (table.c.key == key)
    current = conn.execute(select(table.c.limit_micros).where(where)).scalar()
    if current is None:
        conn.execute(
            table.insert().values(
                scope=scope, key=key, limit_micros=limit_micros, spent_micros=0, reserved_micros=0
            )
        )
    elif lower_only and current <= limit_micros:
        return current
    else:
        conn.execute(update(table).where(where).values(limit_micros=limit_micros))
    return limit_micros


class BudgetBook:
    def __init__(self, engine: Engine):
        self.engine = engine
        path = sqlite_path(engine)
        self.hot = SqliteHotPath(path) if path else None

    def set_limit(self, scope: str, key: str, limit_usd: float) -> None:
        with self.engine.begin() as conn:
            upsert_limit(conn, scope, key, round(limit_usd * 1_000_000))

    def reserve(
        self, scopes: dict[str, str | None], micros: int, lease_s: float = leases.DEFAULT_LEASE_S
    ) -> Reservation:
        """Reserve exactly `micros`; raise BudgetExceededError (reserving nothing) if any scope
        lacks headroom."""
        return self.reserve_call(scopes, lambda _n: micros, 0, 0, lease_s)

    def reserve_call(
        self,
        scopes: dict[str, str | None],
        price: leases.Price,
        max_out: int,
        min_out: int = leases.MIN_OUTPUT_TOKENS,
        lease_s: float = leases.DEFAULT_LEASE_S,
    ) -> Reservation:
        """Reserve the largest call (output tokens in [min_out, max_out], cost `price(n)`) every
        matching budget can cover, under a lease; expired leases are reclaimed first.

        SQLite: the transaction opens with BEGIN IMMEDIATE, so the read below already holds the
        write lock. PostgreSQL: FOR UPDATE locks the budget rows until commit.
        """
        if self.hot is not None:
            pairs, out, micros, lease_id = self.hot.reserve(
                scopes, price, max_out, min_out, lease_s
            )
            return Reservation(pairs, micros, lease_id, out)
        select_rows = _SELECT_SQLITE if self.engine.dialect.name == "sqlite" else _SELECT_LOCKING
        with self.engine.begin() as conn:
            self._reclaim(conn)
            rows = [tuple(r) for r in conn.execute(select_rows, scopes).all()]
            out, micros = leases.size(rows, price, max_out, min_out)
            pairs = tuple((r[0], r[1]) for r in rows)
            for scope, key in pairs:
                conn.execute(_RESERVE, {"m": micros, "scope": scope, "key": key})
            lease_id = None
            if pairs:
                lease = leases.new_lease(pairs, micros, lease_s)
                conn.execute(text(leases.LEASE_INSERT), lease)
                lease_id = lease["id"]
        return Reservation(pairs, micros, lease_id, out)

    def _reclaim(self, conn: Connection) -> int:
        expired = conn.execute(text(leases.LEASE_EXPIRED), {"now": time.time()}).all()
        for lease_id, releases in leases.reclaim_params([tuple(r) for r in expired]):
            for params in releases:
                conn.execute(text(leases.RELEASE), params)
            conn.execute(text(leases.LEASE_DELETE), {"id": lease_id})
        return len(expired)

    def reclaim_expired(self) -> int:
        """Release every expired lease now (also done by each reservation); returns how many."""
        if self.hot is not None:
            with self.hot.immediate() as raw:
                return self.hot.reclaim(raw)
        with self.engine.begin() as conn:
            return self._reclaim(conn)

    def settle(
        self,
        reservation: Reservation,
        actual_micros: int,
        ledger: dict | None = None,
        cache: dict | None = None,
    ) -> None:
        """Release the reservation, book the real cost (capped at the reservation, flagged above
        it) and write the ledger row in one commit. A reclaimed lease books only the cost."""
        actual_micros = leases.capped(actual_micros, reservation.micros, ledger)
        if not reservation.scopes and ledger is None:
            return
        if self.hot is not None:
            self.hot.settle(
                reservation.scopes,
                reservation.micros,
                actual_micros,
                ledger,
                cache,
                reservation.lease_id,
            )
            return
        with self.engine.begin() as conn:
            held = (
                reservation.lease_id is None
                or conn.execute(text(leases.LEASE_DELETE), {"id": reservation.lease_id}).rowcount
            )
            for scope, key in reservation.scopes:
                params = {"m": reservation.micros, "actual": actual_micros}
                statement = _SETTLE if held else text(leases.SPEND)
                conn.execute(statement, {**params, "scope": scope, "key": key})
            if ledger is not None:
                write_outcome(conn, ledger, cache)

    def status(self, scope: str, key: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(BudgetRow.__table__).where(BudgetRow.scope == scope, BudgetRow.key == key)
            ).first()
        return dict(row._mapping) if row else None
