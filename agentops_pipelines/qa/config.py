"""QA settings from `config/qa.yaml` (weights, heat-map thresholds) and the rules file.

Both files are optional: the defaults below are the documented behaviour.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from agentops_pipelines.settings import PROJECT_ROOT, get_settings

DEFAULT_QA_FILE = PROJECT_ROOT / "config" / "qa.yaml"
DEFAULT_RULES_FILE = PROJECT_ROOT / "config" / "qa_rules.yaml"


class QAConfigError(ValueError):
    pass


class HeatThresholds(BaseModel):
    """Flakiness at or above each value raises the cell by one level (1, 2, 3)."""

    flakiness: list[float] = Field(default=[0.01, 0.2, 0.4], min_length=3, max_length=3)
    ambiguity: list[int] = Field(default=[1, 2, 4], min_length=3, max_length=3)


class QAConfig(BaseModel):
    priority_weights: dict[str, float] = Field(
        default={"P1": 3, "P2": 2, "P3": 1, "MUST": 3, "SHALL": 3, "SHOULD": 2, "MAY": 1}
    )
    default_weight: float = Field(default=1.0, gt=0)
    history_length: int = Field(default=10, ge=2, description="runs kept per test for flakiness")
    heat: HeatThresholds = Field(default_factory=HeatThresholds)

    def weight(self, priority: str | None, modal: str | None) -> float:
        """Priority (P1, MUST) first, then the modal verb of the text, then the default."""
        for label in (priority, modal):
            if label and label.upper() in self.priority_weights:
                return float(self.priority_weights[label.upper()])
        return self.default_weight


def _yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise QAConfigError(f"{path}: cannot read it as YAML ({exc}); fix the syntax") from exc
    if not isinstance(data, dict):
        raise QAConfigError(f"{path}: expected a mapping at the top level")
    return data


def load_qa_config(path: Path | None = None) -> QAConfig:
    path = path or get_settings().qa.config
    if not path.exists():
        return QAConfig()
    try:
        return QAConfig.model_validate(_yaml(path))
    except ValidationError as exc:
        raise QAConfigError(
            f"{path}: invalid QA settings ({exc.error_count()} errors: {exc.errors()[0]['msg']} "
            f"at {'.'.join(map(str, exc.errors()[0]['loc']))}); see config/qa.yaml for the shape"
        ) from exc


def rules_file() -> Path:
    return get_settings().qa.rules


def read_rules_yaml(path: Path | None = None) -> dict:
    path = path or rules_file()
    return _yaml(path) if path.exists() else {}
