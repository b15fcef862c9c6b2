"""Time `redact` on about 1 MB of real specs (shared data), with and without planted secrets.

Run: .venv/bin/python benchmarks/redaction_speed.py
"""

from __future__ import annotations

import time
from pathlib import Path

from agentops_pipelines.security import redact

SPECS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "specs"
PLANTED = (
    "Owner alice@example.com, phone +44 20 7946 0958, card 4242 4242 4242 4242, "
    "IBAN DE89 3704 0044 0532 0130 00, OPENAI_API_KEY=sk-proj-FAKEfake0123456789abcdefFAKE\n"
)


def _corpus(size: int = 1_000_000) -> str:
    text = "\n".join(p.read_text(errors="replace") for p in sorted(SPECS.rglob("*.md")))
    return text[:size]


def _best_of(text: str, rounds: int = 5) -> tuple[float, int]:
    best, total = float("inf"), 0
    for _ in range(rounds):
        start = time.perf_counter()
        total = redact(text).total
        best = min(best, time.perf_counter() - start)
    return best, total


# Worst cases for the detectors: one 1 MB line of numbers or look-alikes (logs, dumps).
ADVERSARIAL = {
    "digits '1 2 3 4 '": "1 2 3 4 " * 125_000,
    "one digit run": "4" * 1_000_000,
    "IBAN-like groups": "AB12 CDEF " * 100_000,
    "cards back to back": "4242 4242 4242 4242 " * 50_000,
    "phones back to back": "415-555-2671 " * 77_000,
    "e-mails back to back": "alice@example.com " * 55_000,
    "'password: x '": "password: x " * 80_000,
}


def main() -> None:
    clean = _corpus()
    lines = clean.splitlines(keepends=True)
    planted = "".join(line + (PLANTED if i % 100 == 0 else "") for i, line in enumerate(lines))
    for name, text in (
        ("real specs", clean),
        ("real specs + planted PII every 100 lines", planted),
    ):
        seconds, found = _best_of(text)
        print(f"{name}: {len(text) / 1e6:.2f} MB in {seconds * 1000:.0f} ms, {found} findings")
    for name, text in ADVERSARIAL.items():
        seconds, found = _best_of(text, rounds=1)
        print(f"adversarial {name}: {len(text) / 1e6:.2f} MB in {seconds:.2f} s, {found} findings")


if __name__ == "__main__":
    main()
