"""The router: cache -> policy chain (cheapest adequate first) -> retries/breaker/budget per
attempt -> validation with one repair -> escalation -> human review queue."""

from __future__ import annotations

import functools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from agentops_pipelines.llm.backoff import retry_delay
from agentops_pipelines.llm.breaker import BreakerSnapshot, CircuitBreaker
from agentops_pipelines.llm.breaker_store import BreakerStore
from agentops_pipelines.llm.budget import BudgetBook, request_scopes
from agentops_pipelines.llm.errors import (
    BudgetExceededError,
    OutputValidationError,
    ProviderCallError,
)
from agentops_pipelines.llm.hashing import request_hash, schema_json
from agentops_pipelines.llm.models import LLMRequest, LLMResult, Message, TaskType
from agentops_pipelines.llm.policy import Policy, load_policy
from agentops_pipelines.llm.prices import PriceTable, load_prices
from agentops_pipelines.llm.providers.base import Provider, ProviderCall
from agentops_pipelines.llm.providers.offline import OFFLINE_MODEL, OfflineProvider
from agentops_pipelines.llm.providers.registry import ProviderSettings, build_providers
from agentops_pipelines.llm.ratelimit import RateLimiter
from agentops_pipelines.llm.schemas import TASK_SCHEMAS
from agentops_pipelines.llm.store import LLMStore, cache_values, open_llm_engines
from agentops_pipelines.llm.validation import parse_output, repair_messages, schema_instruction
from agentops_pipelines.settings import Settings, get_settings


@dataclass
class _Target:
    provider: Provider
    model: str
    timeout_s: float
    price_as: str


@dataclass
class _Failure:
    reason: str
    last_output: str | None = None


class Router:
    def __init__(
        self,
        policy: Policy,
        prices: PriceTable,
        store: LLMStore,
        budgets: BudgetBook,
        settings: ProviderSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ):
        self.policy, self.prices, self.store, self.budgets = policy, prices, store, budgets
        self.sleep, self.rng = sleep, rng or random.Random()
        self.providers, self.models, self.disabled = build_providers(policy, settings)
        shared = BreakerStore(store.engine) if policy.breaker.shared else None
        self.breakers = {
            n: CircuitBreaker(n, policy.breaker, clock, shared) for n in policy.providers
        }
        self.limiters = {n: RateLimiter(p.rate_limit, clock) for n, p in policy.providers.items()}
        self._offline = OfflineProvider("offline")
        # Resolved once: the chain, prices and preamble do not change during the router's life.
        self._chains = {task: self._resolve_targets(task) for task in policy.tasks}
        for chain in self._chains.values():  # fail at construction, not mid-run, on no price
            for target in chain:
                prices.price(target.price_as)

    # ---- public API -------------------------------------------------------------------------
    def complete(self, request: LLMRequest) -> LLMResult:
        schema = request.output_schema or TASK_SCHEMAS[request.task_type]
        key = request_hash(request, schema)
        if request.use_cache:
            cached = self._from_cache(request, schema, key)
            if cached is not None:
                return cached
        messages = [*_preamble(request.task_type, schema), *request.messages]
        result = LLMResult(status="answered", task_type=request.task_type)
        failure = _Failure("no provider is enabled for this task")
        for index, target in enumerate(self._targets(request.task_type)):
            outcome = self._try_target(target, request, schema, messages, key, result)
            if isinstance(outcome, LLMResult):
                outcome.escalations = index
                return outcome
            failure = outcome
            result.escalations = index + 1
        item_id = self.store.enqueue_review(
            request_hash=key,
            workspace=request.workspace,
            spec=request.spec,
            run_id=request.run_id,
            task_type=request.task_type.value,
            messages=[m.model_dump() for m in request.messages],
            last_output=failure.last_output,
            reason=failure.reason,
        )
        result.status, result.review_item_id = "queued_for_review", item_id
        return result

    def breaker_states(self) -> dict[str, BreakerSnapshot]:
        return {name: b.snapshot() for name, b in self.breakers.items()}

    def provider_status(self) -> dict[str, str]:
        """Enabled providers with their model, disabled ones with the reason (never a key)."""
        status = {n: f"enabled ({self.models[n]})" for n in self.providers}
        status.update({n: f"disabled: {why}" for n, why in self.disabled.items()})
        return status

    def set_budget(self, scope: str, key: str, limit_usd: float) -> None:
        """scope is 'workspace', 'spec' or 'run'."""
        self.budgets.set_limit(scope, key, limit_usd)

    # ---- internals --------------------------------------------------------------------------
    def _targets(self, task: TaskType) -> list[_Target]:
        return self._chains[task]

    def _resolve_targets(self, task: TaskType) -> list[_Target]:
        """Enabled chain members in policy order; the offline provider when none is enabled."""
        route = self.policy.tasks[task]
        targets = []
        for t in route.chain:
            if t.provider in self.providers:
                spec = self.policy.providers[t.provider]
                model = t.model if t.model and spec.kind != "openai_compat" else None
                model = model or self.models[t.provider]
                provider = self.providers[t.provider]
                targets.append(_Target(provider, model, spec.timeout_s, spec.price_as or model))
        if not targets and self.policy.offline_fallback:
            targets.append(_Target(self._offline, OFFLINE_MODEL, 5.0, OFFLINE_MODEL))
        return targets

    def _from_cache(
        self, request: LLMRequest, schema: type[BaseModel], key: str
    ) -> LLMResult | None:
        row = self.store.cache_get(key)
        if row is None:
            return None
        try:
            data = parse_output(row.text, schema)
        except OutputValidationError:
            return None
        self.store.ledger_add(
            **self._row(request, key, row.provider, row.model, 0, 0, 0, 0.0, "cache_hit", None, 0)
            | {"cache_hit": True}
        )
        return LLMResult(
            status="answered",
            task_type=request.task_type,
            text=row.text,
            data=data,
            provider=row.provider,
            model=row.model,
            cache_hit=True,
        )

    def _try_target(
        self,
        target: _Target,
        request: LLMRequest,
        schema: type[BaseModel],
        messages: list[Message],
        key: str,
        result: LLMResult,
    ) -> LLMResult | _Failure:
        name, model = target.provider.name, target.model
        route = self.policy.tasks[request.task_type]
        breaker = self.breakers.get(name) or CircuitBreaker(name, self.policy.breaker)
        limiter = self.limiters.get(name)
        max_tokens = request.max_tokens or route.max_tokens
        scopes = request_scopes(request.workspace, request.spec, request.run_id)
        repaired, attempt, last_output = False, 0, None
        while attempt < self.policy.retry.max_attempts:
            if not breaker.allow():
                return _Failure(f"{name}: circuit breaker open", last_output)
            # Upper bound, not a guess: a BPE token is at least one byte, so the reservation can
            # never be smaller than the real cost and concurrent spend cannot pass the limit.
            est_in = sum(len(m.content.encode()) for m in messages) + 8 * len(messages)
            if limiter is not None and limiter.try_acquire(est_in + max_tokens) > 0:
                breaker.release()
                return _Failure(f"{name}: local rate limit reached", last_output)
            worst = self.prices.cost_micros(target.price_as, est_in, max_tokens)
            if route.max_cost_usd is not None and worst > route.max_cost_usd * 1e6:
                breaker.release()
                return _Failure(f"{name}/{model}: over max_cost_usd for this task", last_output)
            try:  # sized from the request: known prompt, output capped to what budgets cover
                reservation = self.budgets.reserve_call(
                    scopes,
                    functools.partial(self.prices.cost_micros, target.price_as, est_in),
                    max_tokens,
                    lease_s=2 * target.timeout_s + 30,
                )
            except BudgetExceededError:
                breaker.release()
                raise
            attempt += 1
            result.attempts += 1
            # model_construct: every field comes from validated objects; skip re-validation.
            call = ProviderCall.model_construct(
                model=model,
                messages=messages,
                task_type=request.task_type,
                max_tokens=reservation.out_tokens or max_tokens,
                temperature=request.temperature,
                timeout_s=target.timeout_s,
                stream=request.stream,
                json_schema=_schema_dict(schema),
                builtin_schema=schema is TASK_SCHEMAS[request.task_type],
            )
            started = time.perf_counter()
            try:
                completion = target.provider.complete(call)
            except Exception as exc:  # noqa: BLE001 - every provider failure is classified below
                latency = (time.perf_counter() - started) * 1000
                breaker.record(False)
                err = exc if isinstance(exc, ProviderCallError) else _unclassified(exc)
                row = self._row(
                    request, key, name, model, 0, 0, 0, latency, "error", err.error_class, attempt
                )
                self.budgets.settle(reservation, 0, row)
                if not err.retryable or attempt >= self.policy.retry.max_attempts:
                    return _Failure(f"{name}: {err}", last_output)
                self.sleep(retry_delay(self.policy.retry, attempt, err.retry_after, self.rng))
                continue
            latency = (time.perf_counter() - started) * 1000
            cost = self.prices.cost_micros(
                target.price_as, completion.tokens_in, completion.tokens_out
            )
            breaker.record(True)
            ledger_args = (request, key, name, model, completion.tokens_in, completion.tokens_out)
            try:
                data = parse_output(completion.text, schema)
            except OutputValidationError as bad:
                row = self._row(*ledger_args, cost, latency, "invalid", bad.error_class, attempt)
                self.budgets.settle(reservation, cost, row)
                last_output = completion.text
                if repaired:
                    return _Failure(
                        f"{name}/{model}: output still invalid after repair", last_output
                    )
                repaired = True
                attempt -= 1  # the repair retry is granted on top of the transport retries
                messages = repair_messages(messages, completion.text, bad)
                continue
            row = self._row(*ledger_args, cost, latency, "ok", None, attempt)
            cache = None
            if request.use_cache:
                cache = cache_values(
                    key,
                    request.task_type.value,
                    completion.text,
                    name,
                    model,
                    self.policy.cache_ttl_s,
                )
            self.budgets.settle(reservation, cost, row, cache)
            result.text, result.data, result.provider, result.model = (
                completion.text,
                data,
                name,
                model,
            )
            result.tokens_in += completion.tokens_in
            result.tokens_out += completion.tokens_out
            result.cost_usd = cost / 1e6
            return result.model_copy()
        return _Failure(f"{name}: attempts exhausted", last_output)

    def _row(
        self,
        request,
        key,
        provider,
        model,
        tokens_in,
        tokens_out,
        cost,
        latency,
        outcome,
        error,
        attempt,
    ) -> dict:
        """One ledger row: every attempt, cache hit and failure is recorded, never a key."""
        return dict(
            request_hash=key,
            workspace=request.workspace,
            spec=request.spec,
            run_id=request.run_id,
            task_type=request.task_type.value,
            provider=provider,
            model=model,
            attempt=attempt,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            cost_micros=cost,
            price_version=self.prices.version,
            latency_ms=round(latency, 3),
            cache_hit=False,
            outcome=outcome,
            error_class=error,
        )


@lru_cache(maxsize=256)
def _preamble(task: TaskType, schema: type[BaseModel]) -> tuple[Message, Message]:
    """System messages naming the task and the schema: built once per (task, schema)."""
    return Message(role="system", content=f"Task type: {task.value}"), schema_instruction(schema)


@lru_cache(maxsize=256)
def _schema_dict(schema: type[BaseModel]) -> dict:
    """Parsed once per model class; providers only read it."""
    return json.loads(schema_json(schema))


def _unclassified(exc: Exception) -> ProviderCallError:
    """SDK errors outside the mapped ones (e.g. a body cut mid-stream): retry, and name the type
    only, since some SDK messages echo request headers."""
    return ProviderCallError("provider_error", f"unexpected {type(exc).__name__}", retryable=True)


def build_router(
    policy_path: str | Path,
    db_url: str,
    settings: ProviderSettings | None = None,
    **kwargs,
) -> Router:
    """Load the policy and its price table (beside it unless the policy names another path)."""
    policy = load_policy(policy_path)
    prices_path = Path(policy_path).parent / policy.prices_file
    engine, budget_engine = open_llm_engines(db_url)
    return Router(
        policy,
        load_prices(prices_path),
        LLMStore(engine),
        BudgetBook(budget_engine),
        settings if settings is not None else get_settings().llm,
        **kwargs,
    )


def router_from_settings(settings: Settings, **kwargs) -> Router:
    """The one LLM router factory for the API, pages and CLI (the Dagster resource calls
    `build_router` with the same fields, bound through dg.EnvVar)."""
    return build_router(settings.llm.policy, settings.app_db_url, settings.llm, **kwargs)
