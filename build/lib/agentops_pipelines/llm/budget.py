"""Budgets per workspace, spec and run: reserve the worst-case cost before a call, settle the
real cost after. The check and the reservation happen in one write transaction, so concurrent
threads and processes can never together exceed a limit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select, text, update

from agentops_pipelines.llm.errors import BudgetExceededError
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

    def reserve(self, scopes: dict[str, str | None], micros: int) -> Reservation:
        """Raise BudgetExceededError (reserving nothing) if any scope lacks headroom.

        SQLite: the engine opens with BEGIN IMMEDIATE, so the read below already holds the write
        lock. PostgreSQL: FOR UPDATE locks the budget rows until commit.
        """
        if self.hot is not None:
            return Reservation(self.hot.reserve(scopes, micros), micros)
        select_rows = _SELECT_SQLITE if self.engine.dialect.name == "sqlite" else _SELECT_LOCKING
        with self.engine.begin() as conn:
            rows = conn.execute(select_rows, scopes).all()
            for row in rows:
                committed = row.spent_micros + row.reserved_micros
                if committed + micros > row.limit_micros:
                    raise BudgetExceededError(
                        row.scope, row.key, row.limit_micros, committed, micros
                    )
            for row in rows:
                conn.execute(_RESERVE, {"m": micros, "scope": row.scope, "key": row.key})
        return Reservation(tuple((row.scope, row.key) for row in rows), micros)

    def settle(
        self,
        reservation: Reservation,
        actual_micros: int,
        ledger: dict | None = None,
        cache: dict | None = None,
    ) -> None:
        """Release the reservation, book the real cost and write the ledger row in one commit."""
        if not reservation.scopes and ledger is None:
            return
        if self.hot is not None:
            self.hot.settle(reservation.scopes, reservation.micros, actual_micros, ledger, cache)
            return
        with self.engine.begin() as conn:
            for scope, key in reservation.scopes:
                params = {"m": reservation.micros, "actual": actual_micros}
                conn.execute(_SETTLE, {**params, "scope": scope, "key": key})
            if ledger is not None:
                write_outcome(conn, ledger, cache)

    def status(self, scope: str, key: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(BudgetRow.__table__).where(BudgetRow.scope == scope, BudgetRow.key == key)
            ).first()
        return dict(row._mapping) if row else None
