"""Plans and their limits, read from `config/billing.yaml` (or `AGENTOPS_BILLING_CONFIG`).

Prices live in the config file, not in code, so a price change is a reviewed one-line edit and the
Billing page, Checkout and the limits all read the same numbers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from agentops_pipelines.settings import PROJECT_ROOT, settings_for

DEFAULT_CONFIG = PROJECT_ROOT / "config" / "billing.yaml"
LIMIT_NAMES = ("seats", "specs", "llm_budget_usd")


class PlanLimits(BaseModel):
    seats: int = Field(ge=1)
    specs: int = Field(ge=0)
    llm_budget_usd: float = Field(ge=0)


class Plan(BaseModel):
    id: str
    name: str
    price_cents: int = Field(ge=0)
    interval: str | None = None
    price_env: str | None = None
    limits: PlanLimits

    @property
    def paid(self) -> bool:
        return self.price_cents > 0

    def stripe_price_id(self, environ: dict[str, str] | None = None) -> str | None:
        """A Price id configured in the environment, else None (Checkout gets price_data)."""
        if not self.price_env:
            return None
        return settings_for(environ).variable(self.price_env)


class BillingConfig(BaseModel):
    currency: str = "usd"
    default_plan: str
    plans: list[Plan]

    def plan(self, plan_id: str) -> Plan:
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        known = ", ".join(p.id for p in self.plans)
        raise KeyError(f"plan {plan_id!r} is not in the billing config; use one of {known}")

    @property
    def free(self) -> Plan:
        return self.plan(self.default_plan)

    @property
    def paid_plans(self) -> list[Plan]:
        return [p for p in self.plans if p.paid]


def config_path(environ: dict[str, str] | None = None) -> Path:
    return settings_for(environ).billing.config


@lru_cache(maxsize=8)
def _load(path: Path) -> BillingConfig:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        config = BillingConfig.model_validate(raw)
        config.free  # noqa: B018 - the default plan must exist
    except FileNotFoundError as exc:
        raise ValueError(
            f"billing config {path} not found; restore config/billing.yaml or point "
            "AGENTOPS_BILLING_CONFIG at a plans file"
        ) from exc
    except (yaml.YAMLError, ValidationError, KeyError) as exc:
        raise ValueError(f"billing config {path} is invalid: {exc}; fix the file") from exc
    return config


def load_billing_config(path: Path | None = None) -> BillingConfig:
    return _load((path or config_path()).resolve())
