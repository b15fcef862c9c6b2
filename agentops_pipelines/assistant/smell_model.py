"""The learned layer: one logistic regression per ARTA smell over candidate words.

Weights live in `models/ambiguity_model.json` inside the package (plain numbers, no pickle),
rebuilt by `make ambiguity-model` (`smell_training.py`) from the shared ARTA sets. The file is
read once, on first use. A requirement has a smell when one of its candidates scores above the
smell's threshold (tuned inside cross-validation folds); that candidate is the trigger.

Scope rules hold whatever the weights say: a negation scoped by a modal ('must not') is a
prohibition and never a `negative` finding; a comparative against a number ('less than 5 s') is
a bound, not a `comparative`; a pronoun with exactly one antecedent is never a `vague_pronoun`
finding, while one with no antecedent always is.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from agentops_pipelines.assistant.ambiguity import ARTA_SMELLS, SmellFinding, load_lexicons
from agentops_pipelines.assistant.smell_features import Analysis, analyse, candidates

MODEL_FORMAT = "agentops-ambiguity-model"
MODEL_VERSION = 1
MODEL_PATH = Path(__file__).with_name("models") / "ambiguity_model.json"


class SmellWeights(BaseModel):
    bias: float
    threshold: float = Field(gt=0, lt=1)
    vocabulary: list[str]
    weights: dict[str, float]
    settings: dict[str, float] = Field(default_factory=dict)


class ModelFile(BaseModel):
    format: str
    version: int
    trained_on: dict[str, Any] = Field(default_factory=dict)
    smells: dict[str, SmellWeights]


class SmellModel:
    """Scores candidates; built from a model file or from freshly trained weights."""

    def __init__(self, spec: ModelFile) -> None:
        if spec.format != MODEL_FORMAT or spec.version != MODEL_VERSION:
            raise ValueError(
                f"ambiguity model is {spec.format!r} v{spec.version}, this code reads "
                f"{MODEL_FORMAT!r} v{MODEL_VERSION}; rebuild it with `make ambiguity-model`"
            )
        self.spec = spec
        self._vocab = {s: frozenset(w.vocabulary) for s, w in spec.smells.items()}

    def findings(self, text: str, analysis: Analysis | None = None) -> list[SmellFinding]:
        analysis = analysis or analyse(text)
        rewrites = load_lexicons()
        cache: dict[int, list[str]] = {}
        out: list[SmellFinding] = []
        for smell, weights in self.spec.smells.items():
            best = score_smell(analysis, smell, weights, self._vocab[smell], cache)
            rewrite = rewrites[smell][1] if smell in rewrites else ""
            out.extend(
                SmellFinding(
                    smell=smell,
                    trigger_words=[trigger],
                    span=span,
                    suggested_rewrite=rewrite,
                    source="model",
                )
                for span, (p, trigger) in best.items()
                if p >= weights.threshold
            )
        return out

    def smells_present(self, text: str) -> set[str]:
        return {f.smell for f in self.findings(text)}


def score_smell(
    analysis: Analysis,
    smell: str,
    weights: SmellWeights,
    vocabulary: frozenset[str],
    cache: dict[int, list[str]],
) -> dict[tuple[int, int], tuple[float, str]]:
    """Best probability and trigger text per candidate span of one smell."""
    best: dict[tuple[int, int], tuple[float, str]] = {}
    table = weights.weights
    for cand in candidates(analysis, smell, vocabulary, cache):
        forced = _scope_verdict(smell, cand.features)
        if forced is False:
            continue
        if forced:
            p = 1.0
        else:
            z = weights.bias + sum(table.get(f, 0.0) for f in cand.features)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        if p > best.get(cand.span, (-1.0, ""))[0]:
            best[cand.span] = (p, cand.trigger)
    return best


def _scope_verdict(smell: str, features: list[str]) -> bool | None:
    """True: always a finding; False: never; None: the weights decide."""
    if "rule_dropped" in features:
        return False  # a context rule saw a bound, an example list, a named standard...
    if smell == "negative" and "neg_prohibition" in features:
        return False  # 'must not': a prohibition
    if smell == "comparative" and "than_bound" in features:
        return False  # 'less than 5 s': a comparison with a stated number is a bound
    if smell == "vague_pronoun":
        if "antecedent=clear" in features:
            return False
        if "antecedent=none" in features:
            return True
    return None


def read_model(path: Path) -> SmellModel:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{path}: ambiguity model missing; build it with `make ambiguity-model`"
        ) from None
    spec = ModelFile.model_validate(raw)
    missing = set(ARTA_SMELLS) - set(spec.smells)
    if missing:
        raise ValueError(
            f"{path}: no weights for {sorted(missing)}; rebuild with `make ambiguity-model`"
        )
    return SmellModel(spec)


@lru_cache(maxsize=1)
def load_model() -> SmellModel:
    """The packaged model, read once per process."""
    return read_model(MODEL_PATH)
