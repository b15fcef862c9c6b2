"""`find_smells`: every ARTA smell, the conformance checks, the context rules, the benchmark."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.assistant.ambiguity import (
    ARTA_SMELLS,
    SmellFinding,
    find_smells,
    lexical_smells,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def smells(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in find_smells(text):
        found.setdefault(f.smell, []).extend(w.lower() for w in f.trigger_words)
    return found


def rule_smells(text: str) -> dict[str, list[str]]:
    """The rule layer alone: its context verdicts are features of the learned layer."""
    found: dict[str, list[str]] = {}
    for f in lexical_smells(text):
        found.setdefault(f.smell, []).extend(w.lower() for w in f.trigger_words)
    return found


@pytest.mark.parametrize(
    ("text", "smell", "word"),
    [
        ("The page shall be user-friendly.", "subjective_language", "user-friendly"),
        ("Results shall be shown immediately.", "ambiguous_adverbs_adjectives", "immediately"),
        ("The CLI shall read other formats if possible.", "loophole", "if possible"),
        ("The display shall give an indication of the speed.", "nonverifiable_term", "indication"),
        ("The system shall choose the best route.", "superlative", "best"),
        ("Search shall be faster than today.", "comparative", "faster"),
        ("The speed is not shown when the train stops.", "negative", "not"),
        ("They shall be notified.", "vague_pronoun", "they"),
        ("The driver should confirm the route.", "uncertain_verb", "should"),
        ("The driver shall be able to call the controller.", "polysemy", "call"),
        ("Filters: brand, price, etc.", "open_ended", "etc."),
        ("The CLI shall support Windows.", "vague_verb", "support"),
        ("R9: it should handle log rotation.", "vague_subject", "it"),
        ("The service should store the file.", "rfc2119", "should"),
        ("NFR-1: The CLI shall be fast on big files.", "unmeasurable_nfr", "fast"),
    ],
)
def test_assistant_ambiguity_finds_each_smell(text: str, smell: str, word: str) -> None:
    found = smells(text)
    assert word in found.get(smell, []), found


def test_assistant_ambiguity_finding_has_span_and_rewrite() -> None:
    text = "The CLI shall read gzip files, and other formats if possible."
    loophole = [f for f in find_smells(text) if f.smell == "loophole"]
    assert len(loophole) == 1
    finding = loophole[0]
    assert isinstance(finding, SmellFinding)
    assert text[finding.span[0] : finding.span[1]] == "if possible"
    assert finding.suggested_rewrite and finding.source == "model"  # the learned layer decides


@pytest.mark.parametrize(
    "text",
    [
        "WHEN the user submits the form, THE Service SHALL respond within 300 ms.",
        "The system SHALL refuse at least 3 of 5 invalid logins within 10 seconds.",
        "The API MUST return HTTP 429 after 100 requests per minute.",
    ],
)
def test_assistant_ambiguity_precise_requirements_stay_clean(text: str) -> None:
    noisy = {
        "loophole",
        "subjective_language",
        "unmeasurable_nfr",
        "rfc2119",
        "ears",
        "superlative",
    }
    assert not noisy & set(smells(text)), smells(text)


def test_assistant_ambiguity_bounds_are_not_smells() -> None:
    found = smells("Response time shall not exceed 2 s; at least 128 bits; one or more files.")
    assert "negative" not in found and "comparative" not in found
    assert "superlative" not in found


@pytest.mark.parametrize(
    ("text", "smell"),
    [
        ("Controls shall be designed such that gloves can be worn.", "vague_pronoun"),
        ("All other members of the group shall be muted.", "vague_pronoun"),
        ("Members, other than the initiator, shall be muted.", "vague_pronoun"),
        (
            "The number shall stay valid as a user roams from one network to another.",
            "vague_pronoun",
        ),
        ("The display shall comply with the CENELEC Standard for the DMI.", "subjective_language"),
        ("The radio shall support two different priority levels.", "subjective_language"),
        ("The driver shall be able to display the group identity.", "polysemy"),
        ("The release speed shall be indicated on the DMI.", "nonverifiable_term"),
        ("The interconnection must, as a minimum, comply with GSM-R.", "loophole"),
        ("Each segment should take less then 30 seconds.", "comparative"),
    ],
)
def test_assistant_ambiguity_context_rules_drop_false_positives(text: str, smell: str) -> None:
    assert smell not in rule_smells(text), rule_smells(text)


@pytest.mark.parametrize(
    ("text", "smell", "word"),
    [
        ("Such calls shall be logged.", "vague_pronoun", "such"),
        ("Other users shall be notified.", "vague_pronoun", "other"),
        ("The radio shall meet a standard level of noise.", "subjective_language", "standard"),
        ("The radio shall use different tones.", "subjective_language", "different"),
        ("An indication shall be given to the driver.", "nonverifiable_term", "indication"),
    ],
)
def test_assistant_ambiguity_context_rules_keep_true_smells(
    text: str, smell: str, word: str
) -> None:
    assert word in rule_smells(text).get(smell, []), rule_smells(text)


def test_assistant_ambiguity_ears_shape() -> None:
    assert "ears" in smells("Uploads shall, when large, maybe be chunked by the system.")
    assert "ears" not in smells("IF the checksum differs, THEN THE Service SHALL reject the chunk.")


def _bench():
    from benchmarks import ambiguity as bench

    return bench


@pytest.mark.parametrize("detector", ["rules", "learned"])
def test_assistant_ambiguity_benchmark_reports_figures(
    shared_data: Path, capsys, detector: str
) -> None:
    csv = shared_data / "requirements_quality" / "arta_ds1_dev.csv"
    assert _bench().main(["--data", str(csv), "--detector", detector]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    figures = dict(part.split("=") for part in lines[-1].split())
    assert set(figures) == {"micro_f1", "precision", "recall"}
    # rules: 0.771 on the dev half they were tuned on; learned: trained on it (not a
    # generalisation figure, the grouped CV of the full benchmark run is): guard regressions
    assert float(figures["micro_f1"]) >= 0.75
    assert all(any(line.startswith(s) for line in lines) for s in ARTA_SMELLS)


def test_assistant_ambiguity_benchmark_counts_per_smell() -> None:
    from agentops_pipelines.assistant.smell_data import LabelledRequirement

    def row(text: str, gold: dict[str, frozenset[str]]) -> LabelledRequirement:
        return LabelledRequirement(
            text=text, file="f", dataset="ds1", labelled=frozenset(ARTA_SMELLS), triggers=gold
        )

    bench = _bench()
    rows = [
        row("a", {"negative": frozenset({"not"})}),
        row("b", {}),
        row("c", {"polysemy": frozenset()}),
    ]
    predicted = {"a": {"negative"}, "b": {"negative"}, "c": set()}
    counts = bench.count(rows, lambda t: predicted[t], ["negative", "polysemy"])
    assert counts == {"negative": [1, 1, 0], "polysemy": [0, 0, 1]}
    assert bench.micro(counts) == pytest.approx((0.5, 0.5, 0.5))
