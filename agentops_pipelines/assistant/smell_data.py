"""Hand-labelled ARTA requirement sets (DS1, DS2, DS4) read into one shape.

The three sheets name their columns differently (`Vague_pron.`, `vague_pronouns`,
`vague_pronuns`) and DS2/DS4 label only 8 of the 10 smells, so each row records which smells
its dataset labels: a smell a sheet does not label is unknown for that row, not absent.
A cell holds the trigger words (`other`, `following,application`, `all*any*`) or `-`.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pydantic import BaseModel

from agentops_pipelines.assistant.ambiguity import ARTA_SMELLS

# Normalised header prefix (lower case, letters only) -> smell. Order matters: first match wins.
_HEADER_PREFIXES: tuple[tuple[str, str], ...] = (
    ("subjective", "subjective_language"),
    ("ambiguous", "ambiguous_adverbs_adjectives"),
    ("loop", "loophole"),
    ("nonverifiable", "nonverifiable_term"),
    ("openended", "nonverifiable_term"),  # DS2 'open_ended', DS4 'Open ended NonVarifiable'
    ("superlative", "superlative"),
    ("compar", "comparative"),
    ("compra", "comparative"),  # DS4 'Compratives'
    ("negative", "negative"),
    ("vague", "vague_pronoun"),
    ("uncertain", "uncertain_verb"),
    ("polysemy", "polysemy"),
)


class LabelledRequirement(BaseModel):
    """One labelled requirement: its text, source document, and gold trigger words per smell."""

    text: str
    file: str
    dataset: str
    labelled: frozenset[str]
    triggers: dict[str, frozenset[str]]  # smell -> lower-case trigger words (smell present)

    @property
    def gold(self) -> set[str]:
        return set(self.triggers)


def _smell_of(header: str) -> str | None:
    key = re.sub(r"[^a-z]", "", header.lower())
    return next((smell for prefix, smell in _HEADER_PREFIXES if key.startswith(prefix)), None)


def trigger_words(cell: str) -> frozenset[str]:
    """Words of a gold cell: 'following,application' / 'all*any*' / ' greater ' -> word set."""
    return frozenset(w for w in re.split(r"[\s,*;/]+", cell.strip().lower()) if w)


def read_arta(path: Path, dataset: str | None = None) -> list[LabelledRequirement]:
    """Rows of one ARTA CSV (text in column 1, file in column 2, one column per smell)."""
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: ARTA CSV not found; pass the path of e.g. arta_ds1_dev.csv"
        )
    dataset = dataset or path.stem.split("_")[0].lower()
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        columns = {i: s for i, name in enumerate(header[2:], start=2) if (s := _smell_of(name))}
        if len(header) < 3 or not columns:
            raise ValueError(
                f"{path}: no ARTA smell columns in header {header}; expected the requirement text, "
                "the file name, then smell columns such as 'Subjective_lang.' or 'Polysemy'"
            )
        labelled = frozenset(columns.values())
        rows: list[LabelledRequirement] = []
        for row in reader:
            if len(row) < 2 or not row[0].strip():
                continue
            triggers: dict[str, set[str]] = {}
            for index, smell in columns.items():
                cell = row[index] if index < len(row) else "-"
                if cell.strip() not in {"", "-"}:
                    triggers.setdefault(smell, set()).update(trigger_words(cell))
            rows.append(
                LabelledRequirement(
                    text=row[0],
                    file=row[1].strip(),
                    dataset=dataset,
                    labelled=labelled,
                    triggers={s: frozenset(w) for s, w in triggers.items()},
                )
            )
    return rows


def read_shared_sets(root: Path) -> dict[str, list[LabelledRequirement]]:
    """DS1 dev, DS2 and DS4 from `shared/data/requirements_quality/` (the held-out half is not
    there and is never read)."""
    return {
        "ds1": read_arta(root / "arta_ds1_dev.csv", "ds1"),
        "ds2": read_arta(root / "arta_ds2_ds4" / "DS2_sheet1.csv", "ds2"),
        "ds4": read_arta(root / "arta_ds2_ds4" / "DS4_sheet1.csv", "ds4"),
    }


__all__ = ["ARTA_SMELLS", "LabelledRequirement", "read_arta", "read_shared_sets", "trigger_words"]
