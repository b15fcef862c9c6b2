"""Retry delays: exponential backoff with full jitter, or the server's Retry-After when given."""

from __future__ import annotations

import random

from agentops_pipelines.llm.policy import RetryPolicy


def retry_delay(
    policy: RetryPolicy, attempt: int, retry_after: float | None, rng: random.Random
) -> float:
    """Delay before attempt `attempt + 1` (attempt counts from 1).

    A server's Retry-After wins (capped by max_retry_after_s) because retrying earlier only earns
    another 429; otherwise full jitter spreads concurrent callers so they do not retry in lockstep.
    """
    if retry_after is not None:
        return min(max(retry_after, 0.0), policy.max_retry_after_s)
    ceiling = min(policy.max_delay_s, policy.base_delay_s * 2 ** (attempt - 1))
    return rng.uniform(0, ceiling)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After (or retry-after-ms) header; HTTP dates are treated as unknown."""
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None
