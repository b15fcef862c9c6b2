"""The learned ambiguity layer: packaged weights, explainable findings, scope rules, CV folds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentops_pipelines.assistant.ambiguity import ARTA_SMELLS, find_smells
from agentops_pipelines.assistant.smell_data import read_arta, read_shared_sets
from agentops_pipelines.assistant.smell_model import (
    MODEL_FORMAT,
    MODEL_PATH,
    MODEL_VERSION,
    load_model,
    read_model,
)
from agentops_pipelines.assistant.smell_scope import (
    antecedents,
    expletive_it,
    is_prohibition,
    tokenize,
)
from agentops_pipelines.assistant.smell_training import grouped_folds, same_document


def _found(text: str, smell: str) -> list[str]:
    return [w.lower() for f in find_smells(text) if f.smell == smell for w in f.trigger_words]


def test_packaged_model_loads_with_matching_version() -> None:
    raw = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert raw["format"] == MODEL_FORMAT and raw["version"] == MODEL_VERSION
    model = load_model()
    assert load_model() is model  # read once per process
    assert set(model.spec.smells) == set(ARTA_SMELLS)
    for smell, weights in model.spec.smells.items():
        assert 0 < weights.threshold < 1, smell
        assert weights.vocabulary, smell
    assert MODEL_PATH.stat().st_size < 2_000_000  # small enough to ship in the package
    assert raw["trained_on"]["rows"]["ds1"] > 0


def test_model_of_another_version_is_refused_with_a_fix(tmp_path: Path) -> None:
    raw = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    raw["version"] = MODEL_VERSION + 1
    stale = tmp_path / "model.json"
    stale.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ValueError, match="make ambiguity-model"):
        read_model(stale)
    with pytest.raises(FileNotFoundError, match="make ambiguity-model"):
        read_model(tmp_path / "missing.json")


@pytest.mark.parametrize(
    "text",
    [
        "The system should provide an appropriate and user-friendly interface if possible.",
        "The following values shall be shown immediately, at least most of them.",
        "It shall be faster than other tools and not slower than the best one.",
        "5.2.2.7 If the functional identity contains a description, this may also be displayed.",
    ],
)
def test_every_finding_names_its_trigger_words(text: str) -> None:
    findings = [f for f in find_smells(text) if f.smell in ARTA_SMELLS]
    assert findings
    for f in findings:
        assert f.trigger_words and all(w.strip() for w in f.trigger_words), f
        assert text[f.span[0] : f.span[1]] == f.trigger_words[0], f
        assert f.source == "model" and f.suggested_rewrite


@pytest.mark.parametrize(
    "text",
    [
        "The system must not store passwords in clear text.",
        "The driver shall not be able to delete the log.",
        "The radio must never drop an emergency call.",
    ],
)
def test_prohibition_is_not_a_negative_smell(text: str) -> None:
    assert "not" not in " ".join(_found(text, "negative"))
    assert not _found(text, "negative")


def test_unscoped_negation_is_still_a_negative_smell() -> None:
    assert "not" in _found("The log is not encrypted when the disk is full.", "negative")


def test_prohibition_scope_is_the_modal_right_before_the_negation() -> None:
    tokens = tokenize("Users must not log in if they are not registered.")
    nots = [i for i, t in enumerate(tokens) if t.lower == "not"]
    assert [is_prohibition(tokens, i) for i in nots] == [True, False]


def test_pronoun_with_a_clear_antecedent_is_not_flagged() -> None:
    text = "The radio shall beep when it receives a call."
    assert "it" not in _found(text, "vague_pronoun")
    tokens = tokenize(text)
    assert antecedents(tokens, [t.lower for t in tokens].index("it")) == 1


@pytest.mark.parametrize(
    "text", ["It shall be stored for 30 days.", "They shall be logged at start-up."]
)
def test_pronoun_without_antecedent_is_flagged(text: str) -> None:
    assert text.split()[0].lower() in _found(text, "vague_pronoun")


def test_plural_pronoun_needs_a_plural_antecedent() -> None:
    flagged = "The log file shall be kept and them shall be archived."
    clear = "The log files shall be kept until they are archived."
    assert "them" in _found(flagged, "vague_pronoun")
    assert "they" not in _found(clear, "vague_pronoun")


def test_dummy_it_has_no_referent_to_miss() -> None:
    tokens = tokenize("It shall be possible to cancel the call.")
    assert expletive_it(tokens, 0)
    assert not expletive_it(tokenize("It shall be stored for 30 days."), 0)


def test_grouped_folds_keep_each_file_on_one_side(shared_data: Path) -> None:
    rows = read_arta(shared_data / "requirements_quality" / "arta_ds1_dev.csv")
    files = [r.file for r in rows]
    folds = grouped_folds(files, 3)
    assert len(folds) == 3
    tested: list[int] = []
    for train, test in folds:
        assert {files[i] for i in train}.isdisjoint({files[i] for i in test})
        assert sorted(train + test) == list(range(len(rows)))
        tested.extend(test)
    assert sorted(tested) == list(range(len(rows)))  # every row tested exactly once


@given(st.lists(st.sampled_from("abcdefg"), min_size=2, max_size=60), st.integers(2, 6))
def test_grouped_folds_never_split_a_group(groups: list[str], k: int) -> None:
    if len(set(groups)) < 2:
        with pytest.raises(ValueError, match="at least 2 groups"):
            grouped_folds(groups, k)
        return
    folds = grouped_folds(groups, k)
    assert len(folds) == min(k, len(set(groups)))
    for train, test in folds:
        assert test and {groups[i] for i in train}.isdisjoint({groups[i] for i in test})


def test_shared_sets_map_their_columns_to_arta_smells(shared_data: Path) -> None:
    sets = read_shared_sets(shared_data / "requirements_quality")
    assert sets["ds1"][0].labelled == frozenset(ARTA_SMELLS)
    eight = set(ARTA_SMELLS) - {"uncertain_verb", "polysemy"}
    assert sets["ds2"][0].labelled == eight and sets["ds4"][0].labelled == eight
    assert any("\n" in r.text for r in sets["ds4"])  # cells with newlines read whole
    assert same_document("1999 - tcs.xml") == same_document("1999 - tcs")


def test_training_round_trips_through_the_model_file(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentops_pipelines.assistant import smell_training
    from agentops_pipelines.assistant.smell_training import train

    # one configuration instead of the full grid: the path is what is tested here
    monkeypatch.setattr(smell_training, "EXTRA_WEIGHTS", (0.0,))
    monkeypatch.setattr(smell_training, "C_VALUES", (0.3,))
    monkeypatch.setattr(smell_training, "VOCAB_MIN_COUNTS", (2,))

    rows = read_arta(shared_data / "requirements_quality" / "arta_ds1_dev.csv", "ds1")
    model = train(rows, smells=("uncertain_verb",))
    weights = model.spec.smells["uncertain_verb"]
    assert weights.settings and 0 < weights.threshold < 1
    path = tmp_path / "model.json"
    path.write_text(model.spec.model_dump_json(), encoding="utf-8")
    with pytest.raises(ValueError, match="no weights for"):
        read_model(path)  # a file must hold every ARTA smell
    text = "The driver should confirm the route."
    assert "uncertain_verb" in model.smells_present(text)
