"""Bounded hypothesis settings: a few seconds per test in CI, longer with `make fuzz`.

AGENTOPS_FUZZ_EXAMPLES sets max_examples (CI default 60); the deadline is off per example
because a loaded CI machine makes timings noisy; the bound is the example count.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("AGENTOPS_FUZZ_EXAMPLES", "60"))

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 60,  # CI runs are reproducible; `make fuzz` explores new inputs
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
