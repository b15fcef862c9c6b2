"""Errors of the LLM router. Messages name the input, what was wrong and what to do; they never
carry an API key."""

from __future__ import annotations


class LLMConfigError(ValueError):
    """The policy or price file is wrong: fix the named file/key."""


class BudgetExceededError(RuntimeError):
    """A call was refused before it was made because it could push a budget over its limit."""

    def __init__(self, scope: str, key: str, limit_micros: int, committed_micros: int, needed: int):
        self.scope, self.key = scope, key
        super().__init__(
            f"LLM budget for {scope} '{key}' would be exceeded: limit ${limit_micros / 1e6:.4f}, "
            f"already spent or reserved ${committed_micros / 1e6:.4f}, this call may cost up to "
            f"${needed / 1e6:.4f}. Raise the {scope} budget (Router.set_budget) or wait for the "
            "next budget period."
        )


class ProviderCallError(RuntimeError):
    """One failed attempt against one provider, classified so the router can decide what next.

    `error_class` is a short stable label written to the ledger (rate_limited, server_error,
    timeout, connection, bad_request, auth, invalid_json, schema_invalid, breaker_open).
    """

    def __init__(
        self,
        error_class: str,
        message: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        status: int | None = None,
    ):
        super().__init__(message)
        self.error_class = error_class
        self.retryable = retryable
        self.retry_after = retry_after
        self.status = status


class OutputValidationError(RuntimeError):
    """The model answered, but not with JSON matching the task's schema."""

    def __init__(self, error_class: str, detail: str):
        super().__init__(detail)
        self.error_class = error_class
        self.detail = detail
