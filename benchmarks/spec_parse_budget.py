"""Spec parser under hostile input: raw markdown-it (before) vs parse_spec with its budget (after).

Before = the old path, one unguarded markdown-it parse; after = `parse_spec`, which refuses a
paragraph of unclosed '[' in a pre-scan and stops any parse at its time budget. Also the cost of
the guards on the real corpus (OpenSpec + Kiro specs from ../shared/data).

    .venv/bin/python benchmarks/spec_parse_budget.py [--max-before-kb 100]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from markdown_it import MarkdownIt

from agentops_pipelines.specs.models import SpecInputError
from agentops_pipelines.specs.parsing import parse_spec

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "specs"
RAW = MarkdownIt("commonmark").enable("table")


def _time(fn) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        fn()
        outcome = "parsed"
    except SpecInputError as err:
        outcome = "refused: " + err.problem[:60]
    return time.perf_counter() - start, outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-before-kb", type=int, default=100, help="skip slower raw parses")
    args = parser.parse_args()
    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
    for pattern in ("[!", "["):
        for kb in (20, 100, 400):
            text = "# Hostile\n\n" + pattern * (kb * 1024 // len(pattern))
            if kb <= args.max_before_kb:
                before, _ = _time(lambda t=text: RAW.parse(t))
                before_s = f"{before:6.2f} s"
            else:
                before_s = "skipped"
            after, outcome = _time(lambda t=text: parse_spec("hostile.md", t))
            line = f"{pattern!r:5} {kb:4d} KB  before {before_s:>9}  after {after:6.3f} s"
            print(f"{line}  {outcome}")
    files = sorted(DATA.rglob("*.md"))
    texts = [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in files]
    start = time.perf_counter()
    for _, text in texts:
        RAW.parse(text)
    raw = time.perf_counter() - start
    start = time.perf_counter()
    refused = 0
    for name, text in texts:
        try:
            parse_spec(name, text)
        except SpecInputError:
            refused += 1
    full = time.perf_counter() - start
    print(
        f"corpus: {len(texts)} specs, {sum(len(t) for _, t in texts) / 1e6:.1f} MB; markdown-it "
        f"alone {raw:.2f} s; parse_spec with budget (all format parsers) {full:.2f} s; "
        f"refused {refused}"
    )


if __name__ == "__main__":
    main()
