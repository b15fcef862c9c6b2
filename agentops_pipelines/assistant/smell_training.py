"""Train the learned ambiguity layer (scikit-learn, build time only) and write its JSON file.

    python -m agentops_pipelines.assistant.smell_training \
        --data ../shared/data/requirements_quality --out agentops_pipelines/assistant/models/...

Per smell: candidates (see `smell_features`) labelled by the gold trigger words, a logistic
regression over their features. The weight of the extra sets (DS2/DS4, other documents and
other labelling habits), the regularisation and the decision threshold are chosen by an inner
cross-validation grouped by DS1 source file, on the training rows only: whoever calls
`train` with a fold's training rows gets a model that has never seen the fold's test rows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from agentops_pipelines.assistant.ambiguity import ARTA_SMELLS, LEXICON_PATH
from agentops_pipelines.assistant.smell_data import LabelledRequirement, read_shared_sets
from agentops_pipelines.assistant.smell_features import Analysis, analyse, candidates
from agentops_pipelines.assistant.smell_model import (
    MODEL_FORMAT,
    MODEL_PATH,
    MODEL_VERSION,
    ModelFile,
    SmellModel,
    SmellWeights,
    _scope_verdict,
)

TUNED_SET = "ds1"  # thresholds and settings are chosen for this set's labelling
EXTRA_WEIGHTS = (0.0, 0.3, 1.0)
C_VALUES = (0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(0.1 + 0.05 * i, 2) for i in range(17))  # 0.10 .. 0.90
INNER_FOLDS = 3
MIN_WEIGHT = 1e-3
# Gold trigger words outside the lexicon join the candidates when seen this often in training
# (a large number = lexicon words only); chosen per smell by the inner CV.
VOCAB_MIN_COUNTS = (2, 1_000_000)


def grouped_folds(groups: Sequence[str], k: int) -> list[tuple[list[int], list[int]]]:
    """k folds of row indices; all rows of a group are on one side. Largest groups first,
    each into the fold with fewest rows so far (deterministic, ties by group name)."""
    sizes: dict[str, int] = {}
    for g in groups:
        sizes[g] = sizes.get(g, 0) + 1
    k = min(k, len(sizes))
    if k < 2:
        raise ValueError(f"grouped folds need at least 2 groups, got {sorted(sizes)}")
    fold_of: dict[str, int] = {}
    load = [0] * k
    for g in sorted(sizes, key=lambda g: (-sizes[g], g)):
        target = min(range(k), key=lambda f: (load[f], f))
        fold_of[g] = target
        load[target] += sizes[g]
    folds = []
    for f in range(k):
        test = [i for i, g in enumerate(groups) if fold_of[g] == f]
        train = [i for i, g in enumerate(groups) if fold_of[g] != f]
        folds.append((train, test))
    return folds


@dataclass(frozen=True, slots=True)
class _Example:
    word: str
    features: list[str]
    label: int
    lexical: bool  # a lexicon hit or a pronoun: a candidate whatever the vocabulary


class _Corpus:
    """Candidates of each (text, smell) under a superset vocabulary, computed once."""

    def __init__(self) -> None:
        self._analysis: dict[str, tuple[Analysis, dict[int, list[str]]]] = {}
        self._examples: dict[tuple[str, str, frozenset[str]], list[_Example]] = {}

    def examples(
        self, row: LabelledRequirement, smell: str, universe: frozenset[str]
    ) -> list[_Example]:
        key = (row.text, smell, universe)
        if key not in self._examples:
            if row.text not in self._analysis:
                self._analysis[row.text] = (analyse(row.text), {})
            analysis, cache = self._analysis[row.text]
            gold = row.triggers.get(smell, frozenset())
            found = []
            for cand in candidates(analysis, smell, universe, cache):
                if _scope_verdict(smell, cand.features) is False:
                    continue  # never reported, so not learned from either
                word = analysis.tokens[cand.index].lower
                lexical = "vocabulary_only" not in cand.features
                found.append(_Example(word, cand.features, int(word in gold), lexical))
            self._examples[key] = found
        return self._examples[key]


CORPUS = _Corpus()


def _lexicon_words(smell: str) -> set[str]:
    """Single words of the smell's lexicon terms (stems without their `*`)."""
    raw = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    terms = raw.get(smell, {}).get("terms", [])
    return {w.lower() for t in terms for w in str(t).rstrip("*").split() if w.isalpha()}


def vocabulary(
    rows: Iterable[LabelledRequirement], smell: str, min_count: int = 1
) -> frozenset[str]:
    """Lexicon words plus the alphabetic gold triggers of the smell seen `min_count` times."""
    counts: dict[str, int] = {}
    for row in rows:
        for w in row.triggers.get(smell, ()):
            if w.isalpha() and len(w) > 1:
                counts[w] = counts.get(w, 0) + 1
    return frozenset(_lexicon_words(smell) | {w for w, n in counts.items() if n >= min_count})


class _Split:
    """The rows of one fit and their candidates under the fit's vocabulary."""

    def __init__(
        self,
        rows: list[LabelledRequirement],
        smell: str,
        universe: frozenset[str],
        vocab: frozenset[str],
    ) -> None:
        self.rows = [r for r in rows if smell in r.labelled]
        self.examples = [
            [e for e in CORPUS.examples(r, smell, universe) if e.lexical or e.word in vocab]
            for r in self.rows
        ]


def _fit(
    rows: list[LabelledRequirement],
    smell: str,
    universe: frozenset[str],
    extra_weight: float,
    c: float,
    min_count: int,
) -> SmellWeights:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    used = [r for r in rows if r.dataset == TUNED_SET or extra_weight > 0]
    vocab = vocabulary(used, smell, min_count)
    split = _Split(used, smell, universe, vocab)
    examples = [(e, r) for r, exs in zip(split.rows, split.examples, strict=True) for e in exs]
    labels = [e.label for e, _ in examples]
    settings = {"extra_weight": extra_weight, "C": c, "min_count": float(min_count)}
    if len(set(labels)) < 2:
        bias = 10.0 if labels and labels[0] else -10.0
        return SmellWeights(
            bias=bias, threshold=0.5, vocabulary=sorted(vocab), weights={}, settings=settings
        )
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([dict.fromkeys(e.features, 1) for e, _ in examples]).tocsr()
    matrix.indices = matrix.indices.astype("int32")  # liblinear takes 32-bit indices only
    matrix.indptr = matrix.indptr.astype("int32")
    weight = [1.0 if r.dataset == TUNED_SET else extra_weight for _, r in examples]
    model = LogisticRegression(C=c, solver="liblinear", max_iter=200)
    model.fit(matrix, labels, sample_weight=weight)
    names = vectorizer.get_feature_names_out()
    weights = {
        str(n): round(float(w), 4)
        for n, w in zip(names, model.coef_[0], strict=True)
        if abs(w) >= MIN_WEIGHT
    }
    return SmellWeights(
        bias=round(float(model.intercept_[0]), 4),
        threshold=0.5,
        vocabulary=sorted(vocab),
        weights=weights,
        settings=settings,
    )


def _row_scores(
    weights: SmellWeights, rows: list[LabelledRequirement], smell: str, universe: frozenset[str]
) -> list[float]:
    """Highest candidate probability per row (what `score_smell` gives, from cached features)."""
    split = _Split(rows, smell, universe, frozenset(weights.vocabulary))
    scores = []
    for exs in split.examples:
        best = 0.0
        for e in exs:
            forced = _scope_verdict(smell, e.features)
            if forced is False:
                continue
            z = weights.bias + sum(weights.weights.get(f, 0.0) for f in e.features)
            p = 1.0 if forced else 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            best = max(best, p)
        scores.append(best)
    return scores


def _best_threshold(scores: list[float], gold: list[bool]) -> tuple[float, float]:
    """(F1, threshold) maximising F1; ties go to the threshold nearest 0.5."""
    best = (-1.0, 0.5)
    for t in sorted(THRESHOLDS, key=lambda t: abs(t - 0.5)):
        tp = sum(1 for s, g in zip(scores, gold, strict=True) if s >= t and g)
        fp = sum(1 for s, g in zip(scores, gold, strict=True) if s >= t and not g)
        fn = sum(1 for s, g in zip(scores, gold, strict=True) if s < t and g)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[0]:
            best = (f1, t)
    return best


def rules_only(smell: str) -> SmellWeights:
    """Weights that reproduce the rule layer's verdict: one of the configurations the inner CV
    weighs, and the choice where the tuned set has too few examples of the smell to learn."""
    return SmellWeights(
        bias=-10.0,
        threshold=0.5,
        vocabulary=sorted(_lexicon_words(smell)),
        weights={"rule": 20.0},
        settings={"rules_only": 1.0},
    )


def train_smell(rows: list[LabelledRequirement], smell: str) -> SmellWeights:
    """Settings and threshold by inner grouped CV on the tuned set's rows, then a final fit."""
    universe = vocabulary(rows, smell)
    tuned = [r for r in rows if r.dataset == TUNED_SET]
    extra = [r for r in rows if r.dataset != TUNED_SET]
    positives = sum(1 for r in tuned if smell in r.triggers)
    if len({r.file for r in tuned}) < 2 or positives < 2:
        return rules_only(smell)  # too little of the tuned set's labelling to learn it
    folds = grouped_folds([r.file for r in tuned], INNER_FOLDS)
    gold = [smell in tuned[i].triggers for _, test in folds for i in test]
    rule_scores = _row_scores(
        rules_only(smell), [tuned[i] for _, t in folds for i in t], smell, universe
    )
    best: tuple[float, float, tuple[float, float, int]] | None = None  # f1, threshold, config
    configs = [(w, c, n) for n in VOCAB_MIN_COUNTS for w in EXTRA_WEIGHTS for c in C_VALUES]
    for config in configs:
        scores: list[float] = []
        for train, test in folds:
            fitted = _fit([tuned[i] for i in train] + extra, smell, universe, *config)
            scores.extend(_row_scores(fitted, [tuned[i] for i in test], smell, universe))
        f1, threshold = _best_threshold(scores, gold)
        if best is None or f1 > best[0] + 1e-9:
            best = (f1, threshold, config)
    assert best is not None
    rule_f1 = _best_threshold(rule_scores, gold)[0]
    if rule_f1 > best[0]:
        final = rules_only(smell)
        final.settings["inner_cv_f1"] = round(rule_f1, 4)
        return final
    final = _fit(rows, smell, universe, *best[2])
    final.threshold = best[1]
    final.settings["inner_cv_f1"] = round(best[0], 4)
    return final


def train(rows: list[LabelledRequirement], smells: Sequence[str] = ARTA_SMELLS) -> SmellModel:
    spec = ModelFile(
        format=MODEL_FORMAT,
        version=MODEL_VERSION,
        smells={smell: train_smell(rows, smell) for smell in smells},
    )
    return SmellModel(spec)


def same_document(name: str) -> str:
    """'1999 - tcs.xml' (DS2) and '1999 - tcs' (DS4) name one document."""
    stem = name.lower().removesuffix(".xml")
    return "".join(ch for ch in stem if ch.isalnum())


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def build(data: Path, out: Path) -> ModelFile:
    sets = read_shared_sets(data)
    rows = sets["ds1"] + sets["ds2"] + sets["ds4"]
    model = train(rows)
    spec = model.spec
    spec.trained_on = {
        "rows": {name: len(r) for name, r in sets.items()},
        "sha256": {
            "arta_ds1_dev.csv": _digest(data / "arta_ds1_dev.csv"),
            "DS2_sheet1.csv": _digest(data / "arta_ds2_ds4" / "DS2_sheet1.csv"),
            "DS4_sheet1.csv": _digest(data / "arta_ds2_ds4" / "DS4_sheet1.csv"),
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(spec.model_dump(), sort_keys=True, separators=(",", ":")) + "\n")
    return spec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the ambiguity model from ARTA sets.")
    parser.add_argument("--data", type=Path, required=True, help="shared/data/requirements_quality")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    spec = build(args.data, args.out)
    for smell, w in spec.smells.items():
        print(f"{smell:30} threshold={w.threshold:.2f} features={len(w.weights)} {w.settings}")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
