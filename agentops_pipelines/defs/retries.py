"""Retry policy of the steps that touch the outside (LLM router, test sandbox, Git host).

A transient failure (a provider timeout, a sandbox killed under load, the Git host answering 502)
is retried in the same run: 3 tries, 10 s then 20 s apart, with jitter. Runs that die without a
failure event are retried by the instance (`run_retries` in the dagster.yaml that `agentops
ingest` and `make demo` write, and in deploy/dagster/dagster.yaml).
"""

import dagster as dg

OUTSIDE_RETRY = dg.RetryPolicy(
    max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)
