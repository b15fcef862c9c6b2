"""Ambiguity benchmark: grouped cross-validation of the learned detector against the rule layer.

    .venv/bin/python benchmarks/ambiguity.py [--shared ../shared/data/requirements_quality]

Requirement level (a requirement has smell S or not), ARTA's ten smells:
1. k-fold CV on DS1 dev grouped by source document (`File`): the learned layer is trained inside
   each fold on the training files plus DS2/DS4 (its settings tuned by an inner CV on those
   files only) and scored on the held-out files. The rule layer is scored on the same folds; its
   lexicons were tuned on all of DS1 dev, so its figure is optimistic.
2. DS4 as a separate test set (its 8 smells): trained on DS1 dev + DS2 without DS4's documents.
3. Median `find_smells` latency per requirement, rule layer (baseline) and full, same run.

The last line is `cv_micro_f1=... cv_spread=... ds4_micro_f1=... median_ms=...
baseline_median_ms=... rules_cv_micro_f1=... rules_ds4_micro_f1=...`.

`--data FILE` scores one ARTA CSV instead (rules, packaged model, or `--with-model` for the
router's review); its last line is `micro_f1=... precision=... recall=...`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from agentops_pipelines.assistant.ambiguity import (
    ARTA_SMELLS,
    find_smells,
    rule_findings,
    smells_present,
)
from agentops_pipelines.assistant.smell_data import LabelledRequirement, read_arta, read_shared_sets
from agentops_pipelines.assistant.smell_training import grouped_folds, same_document, train

DEFAULT_SHARED = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "requirements_quality"
)
Counts = dict[str, list[int]]  # smell -> [tp, fp, fn]
Predict = Callable[[str], set[str]]


def count(rows: Sequence[LabelledRequirement], predict: Predict, smells: Sequence[str]) -> Counts:
    counts = {s: [0, 0, 0] for s in smells}
    for row in rows:
        predicted = predict(row.text)
        for smell in smells:
            if smell in predicted and smell in row.triggers:
                counts[smell][0] += 1
            elif smell in predicted:
                counts[smell][1] += 1
            elif smell in row.triggers:
                counts[smell][2] += 1
    return counts


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def micro(counts: Counts) -> tuple[float, float, float]:
    return prf(*(sum(c[k] for c in counts.values()) for k in range(3)))


def _spread(values: list[float]) -> tuple[float, float]:
    if not values:
        return float("nan"), float("nan")
    return statistics.fmean(values), statistics.pstdev(values)


def print_table(title: str, pooled: Counts, per_fold: list[Counts] | None = None) -> None:
    print(f"== {title}")
    fold_cols = f" {'F1 mean':>8} {'sd':>6}" if per_fold else ""
    print(
        f"{'smell':30} {'gold':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"
        + fold_cols
    )
    for smell, (tp, fp, fn) in pooled.items():
        p, r, f = prf(tp, fp, fn)
        line = f"{smell:30} {tp + fn:>5} {tp:>4} {fp:>4} {fn:>4} {p:6.3f} {r:6.3f} {f:6.3f}"
        if per_fold:
            # a fold with neither gold nor predictions of the smell has no F1: left out
            defined = [prf(*c[smell])[2] for c in per_fold if sum(c[smell])]
            mean, sd = _spread(defined)
            line += f" {mean:8.3f} {sd:6.3f}"
        print(line)
    p, r, f = micro(pooled)
    line = f"{'micro':30} {'':>5} {'':>4} {'':>4} {'':>4} {p:6.3f} {r:6.3f} {f:6.3f}"
    if per_fold:
        mean, sd = _spread([micro(c)[2] for c in per_fold])
        line += f" {mean:8.3f} {sd:6.3f}"
    print(line)


def _add(total: Counts, part: Counts) -> None:
    for smell, c in part.items():
        for k in range(3):
            total[smell][k] += c[k]


def cross_validate(
    ds1: list[LabelledRequirement], extra: list[LabelledRequirement], k: int
) -> tuple[list[Counts], list[Counts]]:
    """Per-fold counts of (learned, rules) on DS1 dev, folds grouped by File."""
    learned, rules = [], []
    for n, (train_idx, test_idx) in enumerate(grouped_folds([r.file for r in ds1], k), start=1):
        test = [ds1[i] for i in test_idx]
        files = sorted({r.file for r in test})
        started = time.perf_counter()
        model = train([ds1[i] for i in train_idx] + extra)
        print(
            f"fold {n}: test files {files} ({len(test)} rows), trained in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        learned.append(count(test, model.smells_present, ARTA_SMELLS))
        rules.append(count(test, smells_present, ARTA_SMELLS))
    return learned, rules


def _pooled(per_fold: list[Counts]) -> Counts:
    total = {s: [0, 0, 0] for s in ARTA_SMELLS}
    for c in per_fold:
        _add(total, c)
    return total


def latency(texts: list[str], repeats: int = 5) -> tuple[float, float]:
    """Median ms per requirement of the rule layer (baseline) and of `find_smells`, measured
    interleaved so that load on the machine hits both alike."""
    find_smells(texts[0])  # load the packaged model once (it is cached per process)
    base, full = [], []
    for _ in range(repeats):
        for text in texts:
            t0 = time.perf_counter()
            rule_findings(text)
            t1 = time.perf_counter()
            find_smells(text)
            t2 = time.perf_counter()
            base.append(t1 - t0)
            full.append(t2 - t1)
    return statistics.median(full) * 1000, statistics.median(base) * 1000


def run_cv(shared: Path, k: int) -> int:
    sets = read_shared_sets(shared)
    ds1, ds2, ds4 = sets["ds1"], sets["ds2"], sets["ds4"]
    print(f"rows: ds1_dev={len(ds1)} ds2={len(ds2)} ds4={len(ds4)}; {k} folds grouped by File")
    learned, rules = cross_validate(ds1, ds2 + ds4, k)
    print_table("rules (baseline), grouped CV on DS1 dev", _pooled(rules), rules)
    print_table("learned, grouped CV on DS1 dev", _pooled(learned), learned)

    ds4_docs = {same_document(r.file) for r in ds4}
    ds2_kept = [r for r in ds2 if same_document(r.file) not in ds4_docs]
    print(
        f"DS4 test: training on ds1_dev + {len(ds2_kept)} DS2 rows "
        f"({len(ds2) - len(ds2_kept)} DS2 rows of DS4's documents left out)",
        flush=True,
    )
    model = train(ds1 + ds2_kept)
    ds4_smells = sorted(ds4[0].labelled, key=ARTA_SMELLS.index)
    ds4_rules = count(ds4, smells_present, ds4_smells)
    ds4_learned = count(ds4, model.smells_present, ds4_smells)
    print_table("rules (baseline) on DS4", ds4_rules)
    print_table("learned on DS4", ds4_learned)

    median_ms, baseline_ms = latency([r.text for r in ds1])
    print(
        f"latency per requirement (DS1 dev, median of 5 passes): find_smells {median_ms:.3f} ms,"
        f" rule layer {baseline_ms:.3f} ms"
    )
    cv_f1s = [micro(c)[2] for c in learned]
    print(
        f"cv_micro_f1={micro(_pooled(learned))[2]:.3f} cv_spread={statistics.pstdev(cv_f1s):.3f} "
        f"ds4_micro_f1={micro(ds4_learned)[2]:.3f} median_ms={median_ms:.3f} "
        f"baseline_median_ms={baseline_ms:.3f} rules_cv_micro_f1={micro(_pooled(rules))[2]:.3f} "
        f"rules_ds4_micro_f1={micro(ds4_rules)[2]:.3f}"
    )
    return 0


def run_file(path: Path, detector: str) -> int:
    rows = read_arta(path)
    predict: Predict = smells_present
    if detector == "learned":
        from agentops_pipelines.assistant.ambiguity import learned_smells_present

        predict = learned_smells_present
    elif detector == "rules+model":
        from agentops_pipelines.assistant.model_review import model_smells_present

        predict = model_smells_present
    smells = [s for s in ARTA_SMELLS if s in rows[0].labelled] if rows else list(ARTA_SMELLS)
    counts = count(rows, predict, smells)
    print(f"requirements={len(rows)} detector={detector}")
    print_table(str(path), counts)
    p, r, f = micro(counts)
    print(f"micro_f1={f:.3f} precision={p:.3f} recall={r:.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="folder with arta_ds1_dev.csv and arta_ds2_ds4/",
    )
    parser.add_argument("--folds", type=int, default=3, help="grouped CV folds (default 3)")
    parser.add_argument("--data", type=Path, help="score one ARTA CSV instead of the CV run")
    parser.add_argument(
        "--detector",
        choices=["rules", "learned", "rules+model"],
        default="rules",
        help="with --data: which detector to score",
    )
    parser.add_argument(
        "--with-model",
        action="store_true",
        help="with --data: same as --detector rules+model (router's review)",
    )
    args = parser.parse_args(argv)
    if args.data is not None:
        return run_file(args.data, "rules+model" if args.with_model else args.detector)
    return run_cv(args.shared.resolve(), args.folds)


if __name__ == "__main__":
    sys.exit(main())
