"""Prometheus metrics of the API: requests, latencies, webhook inbox depth, breaker states.

Each app gets its own CollectorRegistry (several apps in one test process must not collide in
the global one). Inbox depth and breaker states are read at scrape time, so they are never
stale and cost nothing between scrapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

BREAKER_STATES = ("closed", "open", "half_open")
BreakerSource = Callable[[], Mapping[str, str]]  # provider -> state


class StateCollector(Collector):
    """Gauges computed on scrape from the app store and the in-process LLM routers."""

    def __init__(self, engine: Engine | None, breaker_sources: list[BreakerSource]) -> None:
        self.engine = engine
        self.breaker_sources = breaker_sources

    def _inbox_depth(self) -> float | None:
        if self.engine is None:
            return None
        try:
            with self.engine.connect() as conn:
                value = conn.execute(
                    text("select count(*) from webhook_inbox where status = 'pending'")
                ).scalar()
        except SQLAlchemyError:  # no inbox table yet: report nothing rather than a fake zero
            return None
        return float(value or 0)

    def collect(self) -> Iterator[Metric]:
        depth = self._inbox_depth()
        inbox = GaugeMetricFamily(
            "agentops_webhook_inbox_depth", "Webhook deliveries waiting to be processed"
        )
        if depth is not None:
            inbox.add_metric([], depth)
        yield inbox
        breakers = GaugeMetricFamily(
            "agentops_llm_breaker_state",
            "LLM provider circuit breaker state (1 for the current state)",
            labels=["provider", "state"],
        )
        for source in self.breaker_sources:
            for provider, state in source().items():
                for candidate in BREAKER_STATES:
                    breakers.add_metric([provider, candidate], 1.0 if state == candidate else 0.0)
        yield breakers


class ApiMetrics:
    def __init__(
        self, engine: Engine | None = None, breaker_sources: list[BreakerSource] | None = None
    ) -> None:
        self.registry = CollectorRegistry()
        self.breaker_sources: list[BreakerSource] = list(breaker_sources or [])
        self.requests = Counter(
            "agentops_http_requests",
            "HTTP requests handled by the API",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "agentops_http_request_duration_seconds",
            "HTTP request latency by route",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
        )
        self.registry.register(StateCollector(engine, self.breaker_sources))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)
