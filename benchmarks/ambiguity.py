"""Ambiguity benchmark: the rule layer (and the model review when a provider is configured)
against a hand-labelled ARTA CSV, at requirement level (a requirement has smell S or not).

    .venv/bin/python benchmarks/ambiguity.py \
        --data ../shared/data/requirements_quality/arta_ds1_dev.csv [--with-model]

Prints precision/recall/F1 per smell and micro-averaged; the last line is
`micro_f1=<v> precision=<v> recall=<v>`.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from agentops_pipelines.assistant.ambiguity import ARTA_SMELLS, smells_present

# ARTA column headers -> our smell names (matched on a lower-case prefix of the header).
HEADER_PREFIX = {
    "subjective": "subjective_language",
    "ambiguous_adv": "ambiguous_adverbs_adjectives",
    "loophole": "loophole",
    "nonverifiable": "nonverifiable_term",
    "superlative": "superlative",
    "comparative": "comparative",
    "negative": "negative",
    "vague_pron": "vague_pronoun",
    "uncertain_verb": "uncertain_verb",
    "polysemy": "polysemy",
}


def read_arta(path: Path) -> list[tuple[str, set[str]]]:
    """Rows of (requirement text, gold smells); a column value '-' means the smell is absent."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        columns = {}
        for index, name in enumerate(header[1:], start=1):
            for prefix, smell in HEADER_PREFIX.items():
                if name.lower().startswith(prefix):
                    columns[index] = smell
        if not columns:
            raise SystemExit(
                f"{path}: no ARTA smell columns in header {header}; expected e.g. "
                "'Subjective_lang.', 'Polysemy'"
            )
        rows = []
        for row in reader:
            if not row or not row[0].strip():
                continue
            gold = {
                s for i, s in columns.items() if i < len(row) and row[i].strip() not in {"-", ""}
            }
            rows.append((row[0], gold))
    return rows


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(
    rows: list[tuple[str, set[str]]], predict=smells_present
) -> dict[str, tuple[int, int, int]]:
    counts = {s: [0, 0, 0] for s in ARTA_SMELLS}
    for text, gold in rows:
        predicted = predict(text) & set(ARTA_SMELLS)
        for smell in ARTA_SMELLS:
            if smell in predicted and smell in gold:
                counts[smell][0] += 1
            elif smell in predicted:
                counts[smell][1] += 1
            elif smell in gold:
                counts[smell][2] += 1
    return {s: (c[0], c[1], c[2]) for s, c in counts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="ARTA-format CSV")
    parser.add_argument("--with-model", action="store_true", help="add the router's review")
    args = parser.parse_args(argv)
    rows = read_arta(args.data)
    predict = smells_present
    if args.with_model:
        from agentops_pipelines.assistant.model_review import model_smells_present

        predict = model_smells_present
    counts = evaluate(rows, predict)
    print(f"requirements={len(rows)} detector={'rules+model' if args.with_model else 'rules'}")
    print(f"{'smell':32} {'gold':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    tp_all = fp_all = fn_all = 0
    for smell, (tp, fp, fn) in counts.items():
        p, r, f = _prf(tp, fp, fn)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        print(f"{smell:32} {tp + fn:>5} {tp:>4} {fp:>4} {fn:>4} {p:6.3f} {r:6.3f} {f:6.3f}")
    p, r, f = _prf(tp_all, fp_all, fn_all)
    print(f"micro_f1={f:.3f} precision={p:.3f} recall={r:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
