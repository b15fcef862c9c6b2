"""Requests- and tokens-per-minute limits per provider (sliding one-minute window, in-process)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from agentops_pipelines.llm.policy import RateLimit


class RateLimiter:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic):
        self.limit, self.clock = limit, clock
        self._lock = threading.Lock()
        self._events: deque[tuple[float, int]] = deque()

    def try_acquire(self, tokens: int) -> float:
        """Take a slot and return 0, or take nothing and return the seconds until one frees up."""
        rpm, tpm = self.limit.requests_per_minute, self.limit.tokens_per_minute
        if rpm is None and tpm is None:
            return 0.0
        with self._lock:
            now = self.clock()
            while self._events and now - self._events[0][0] >= 60:
                self._events.popleft()
            used_tokens = sum(t for _, t in self._events)
            over_requests = rpm is not None and len(self._events) >= rpm
            over_tokens = tpm is not None and self._events and used_tokens + tokens > tpm
            if over_requests or over_tokens:
                return max(0.0, 60 - (now - self._events[0][0]))
            self._events.append((now, tokens))
            return 0.0
