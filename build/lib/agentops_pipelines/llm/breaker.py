"""Per-provider circuit breaker: closed -> open -> half-open (one probe) -> closed or open.

With a `BreakerStore` the state is shared through the app store: transitions and failures are
written there, and `allow()` adopts another process's newer state (polled at most every
`policy.sync_s`), so Dagster, the API and Streamlit agree on which providers are open.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from enum import StrEnum

from pydantic import BaseModel

from agentops_pipelines.llm.breaker_store import BreakerStore
from agentops_pipelines.llm.policy import BreakerPolicy


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class BreakerSnapshot(BaseModel):
    provider: str
    state: BreakerState
    consecutive_failures: int
    window_requests: int
    window_failures: int
    opened_at: float | None
    since: float | None = None  # Unix time of the last transition
    transitions: list[str]


class CircuitBreaker:
    """Opens on N consecutive failures, or on a failure rate over a sliding window once the
    window holds at least `min_requests` outcomes; after `cooldown_s` lets one probe through."""

    def __init__(
        self,
        name: str,
        policy: BreakerPolicy,
        clock: Callable[[], float] = time.monotonic,
        shared: BreakerStore | None = None,
        wall: Callable[[], float] = time.time,
    ):
        self.name, self.policy, self.clock, self.shared, self.wall = (
            name,
            policy,
            clock,
            shared,
            wall,
        )
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._window: deque[tuple[float, bool]] = deque()
        self._opened_at: float | None = None
        self._opened_wall: float | None = None
        self._since: float | None = None
        self._probe_in_flight = False
        self._generation = 0
        self._last_sync: float | None = None
        self.transitions: list[str] = []

    def allow(self) -> bool:
        with self._lock:
            self._sync()
            if self._state is BreakerState.OPEN:
                assert self._opened_at is not None
                if self.clock() - self._opened_at < self.policy.cooldown_s:
                    return False
                if not self._claim_probe():
                    return self._state is BreakerState.CLOSED
                self._move(BreakerState.HALF_OPEN, persist=False)
            if self._state is BreakerState.HALF_OPEN:
                if self._probe_in_flight:
                    return False
                self._probe_in_flight = True
            return True

    def release(self) -> None:
        """Give back a half-open probe slot when the call was never made (budget, rate limit)."""
        with self._lock:
            self._probe_in_flight = False

    def record(self, success: bool) -> None:
        with self._lock:
            now = self.clock()
            self._window.append((now, success))
            while self._window and now - self._window[0][0] > self.policy.window_s:
                self._window.popleft()
            had_failures = self._consecutive > 0
            self._consecutive = 0 if success else self._consecutive + 1
            before = self._state
            if self._state is BreakerState.HALF_OPEN:
                self._probe_in_flight = False
                if success:
                    self._window.clear()
                    self._move(BreakerState.CLOSED)
                else:
                    self._open(now)
            elif self._state is BreakerState.CLOSED and not success and self._should_open():
                self._open(now)
            if self._state is before and (not success or had_failures):
                self._persist()  # failure counts are shown to operators; success is silent

    def _should_open(self) -> bool:
        """Both triggers: a burst of consecutive failures, or a sustained failure rate."""
        if self._consecutive >= self.policy.failure_threshold:
            return True
        failures = sum(1 for _, ok in self._window if not ok)
        total = len(self._window)
        return total >= self.policy.min_requests and failures / total >= self.policy.failure_rate

    def _open(self, now: float) -> None:
        self._opened_at, self._opened_wall = now, self.wall()
        self._move(BreakerState.OPEN)

    def _move(self, state: BreakerState, persist: bool = True) -> None:
        self.transitions.append(f"{self._state.value}->{state.value}")
        self._state, self._since = state, self.wall()
        if persist:
            self._persist()

    # ---- sharing through the app store ------------------------------------------------------
    def _persist(self) -> None:
        if self.shared is None:
            return
        failures = sum(1 for _, ok in self._window if not ok)
        generation = self.shared.write(
            dict(
                provider=self.name,
                state=self._state.value,
                consecutive_failures=self._consecutive,
                window_requests=len(self._window),
                window_failures=failures,
                opened_at=self._opened_wall,
                since=self._since or self.wall(),
            )
        )
        if generation is not None:
            self._generation = generation

    def _sync(self, force: bool = False) -> None:
        """Adopt a newer state written by another process (or another router instance)."""
        if self.shared is None:
            return
        now = self.clock()
        if not force and self._last_sync is not None and now - self._last_sync < self.policy.sync_s:
            return
        self._last_sync = now
        row = self.shared.read(self.name)
        if row is None or row.generation <= self._generation:
            return
        self._generation, state = row.generation, BreakerState(row.state)
        if state is not self._state:
            self.transitions.append(f"{self._state.value}->{state.value} (shared)")
        self._state, self._consecutive, self._since = state, row.consecutive_failures, row.since
        self._opened_wall = row.opened_at
        if row.opened_at is not None:  # map the wall-clock opening onto this breaker's clock
            self._opened_at = now - max(0.0, self.wall() - row.opened_at)
        elif state is BreakerState.OPEN:
            self._opened_at = now
        if state is BreakerState.HALF_OPEN:
            # Another process holds the probe; it is presumed lost once a cooldown has passed.
            stale = self.wall() - row.since >= self.policy.cooldown_s
            self._probe_in_flight = not stale
            if stale:
                self._state = BreakerState.OPEN
                self._opened_at = now - self.policy.cooldown_s
        elif state is BreakerState.CLOSED:
            self._probe_in_flight = False
            self._window.clear()

    def _claim_probe(self) -> bool:
        """Across processes only the claimant sends the probe; others re-read the state."""
        if self.shared is None:
            return True
        if self.shared.claim_probe(self.name, self._generation, self.wall()):
            self._generation += 1
            return True
        self._sync(force=True)
        return False

    def snapshot(self) -> BreakerSnapshot:
        with self._lock:
            self._sync()
            return BreakerSnapshot(
                provider=self.name,
                state=self._state,
                consecutive_failures=self._consecutive,
                window_requests=len(self._window),
                window_failures=sum(1 for _, ok in self._window if not ok),
                opened_at=self._opened_at,
                since=self._since,
                transitions=list(self.transitions),
            )
