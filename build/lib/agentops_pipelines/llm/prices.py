"""The versioned price table (config/llm_prices.yaml). Costs are integer micro-dollars so ledger
sums and budget checks are exact."""

from __future__ import annotations

import math
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from agentops_pipelines.llm.errors import LLMConfigError


class ModelPrice(BaseModel):
    input_per_mtok: float
    output_per_mtok: float


class PriceTable(BaseModel):
    version: str
    currency: str = "USD"
    models: dict[str, ModelPrice]

    def price(self, model: str) -> ModelPrice:
        if model not in self.models:
            raise LLMConfigError(
                f"model '{model}' has no price in price table {self.version}: add it to "
                "config/llm_prices.yaml (use 0 for local models)"
            )
        return self.models[model]

    def cost_micros(self, model: str, tokens_in: int, tokens_out: int) -> int:
        """Ceil to the micro-dollar: rounding up keeps reservations on the safe side."""
        p = self.price(model)
        return math.ceil(tokens_in * p.input_per_mtok + tokens_out * p.output_per_mtok)


def load_prices(path: str | Path) -> PriceTable:
    path = Path(path)
    try:
        return PriceTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise LLMConfigError(f"LLM price table {path} does not exist") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise LLMConfigError(f"LLM price table {path} is invalid: {exc}") from exc
