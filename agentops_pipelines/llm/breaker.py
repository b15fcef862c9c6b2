"""Per-provider circuit breaker: closed -> open -> half-open (one probe) -> closed or open."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from enum import StrEnum

from pydantic import BaseModel

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
    transitions: list[str]


class CircuitBreaker:
    """Opens on N consecutive failures, or on a failure rate over a sliding window once the
    window holds at least `min_requests` outcomes; after `cooldown_s` lets one probe through."""

    def __init__(
        self, name: str, policy: BreakerPolicy, clock: Callable[[], float] = time.monotonic
    ):
        self.name, self.policy, self.clock = name, policy, clock
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._window: deque[tuple[float, bool]] = deque()
        self._opened_at: float | None = None
        self._probe_in_flight = False
        self.transitions: list[str] = []

    def allow(self) -> bool:
        with self._lock:
            if self._state is BreakerState.OPEN:
                assert self._opened_at is not None
                if self.clock() - self._opened_at < self.policy.cooldown_s:
                    return False
                self._move(BreakerState.HALF_OPEN)
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
            self._consecutive = 0 if success else self._consecutive + 1
            if self._state is BreakerState.HALF_OPEN:
                self._probe_in_flight = False
                if success:
                    self._window.clear()
                    self._move(BreakerState.CLOSED)
                else:
                    self._open(now)
            elif self._state is BreakerState.CLOSED and not success and self._should_open():
                self._open(now)

    def _should_open(self) -> bool:
        """Both triggers: a burst of consecutive failures, or a sustained failure rate."""
        if self._consecutive >= self.policy.failure_threshold:
            return True
        failures = sum(1 for _, ok in self._window if not ok)
        total = len(self._window)
        return total >= self.policy.min_requests and failures / total >= self.policy.failure_rate

    def _open(self, now: float) -> None:
        self._opened_at = now
        self._move(BreakerState.OPEN)

    def _move(self, state: BreakerState) -> None:
        self.transitions.append(f"{self._state.value}->{state.value}")
        self._state = state

    def snapshot(self) -> BreakerSnapshot:
        with self._lock:
            return BreakerSnapshot(
                provider=self.name,
                state=self._state,
                consecutive_failures=self._consecutive,
                window_requests=len(self._window),
                window_failures=sum(1 for _, ok in self._window if not ok),
                opened_at=self._opened_at,
                transitions=list(self.transitions),
            )
