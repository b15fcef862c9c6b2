"""An independent count of the requirement citations authors wrote in a repository's tests.

Deliberately simple and separate from the linker (`agentops_pipelines.qa.citations`): it reads
test files line by line, finds `Requirements: 1.1, 2.3` / `Validates: Requirements 7.1` lists
and explicit `FR-001` / `US-1` IDs, and gives each the feature the author named for it: a
`Feature: x` line in the same docstring or comment block, else in the module docstring, else the
hand label of the file in `benchmarks/data/real_repos_features.yaml` (written by reading the
test and the specs). `docstring_feature` is a further author-stated label: the feature the
test module's docstring names by its title. Citations with no label stay unlabelled and are
reported as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

LABELS = Path(__file__).parent / "data" / "real_repos_features.yaml"
_LIST = re.compile(
    r"Requirements?\s*:?\s*(\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?"
    r"(?:\s*(?:,|and|&)\s*\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?)*)",
    re.I,
)
_ID = re.compile(r"(?<![A-Za-z0-9])(FR|SC|US)-?0*(\d+)(?!\d)")
_SPEC_NUMBER = re.compile(r"\bspecs?[ /](\d{3})\b", re.I)
_FEATURE = re.compile(r"Feature\s*:\s*([A-Za-z0-9][\w.-]*[A-Za-z0-9])")
_TEST_NAME = re.compile(r"(^test_.*\.py$)|(\.(test|spec)\.[jt]sx?$)")


@dataclass(frozen=True)
class CountedCitation:
    file: str  # relative to the repo root
    line: int
    number: str  # "7.1" (Kiro criterion) or "FR-25" (an author ID, leading zeros dropped)
    feature: str | None  # the feature folder name ("cis-controls-integration") or its number


def _numbers(listed: str) -> list[str]:
    out = []
    for item in re.split(r"\s*(?:,|and|&)\s*", listed):
        pieces = [p.strip() for p in re.split(r"\s*[-–]\s*", item.strip(), maxsplit=1)]
        low, high = pieces[0], pieces[1] if len(pieces) > 1 else ""
        if high and "." in low and "." in high and low.split(".")[0] == high.split(".")[0]:
            major = low.split(".")[0]
            first, last = int(low.split(".")[1]), int(high.split(".")[1])
            out += [f"{major}.{n}" for n in range(first, last + 1)]
        elif high and low.isdigit() and high.isdigit():
            out += [str(n) for n in range(int(low), int(high) + 1)]
        else:
            out += [p for p in (low, high) if p]
    return out


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges of triple-quoted strings (0-based, inclusive): docstrings."""
    blocks, start = [], None
    for index, line in enumerate(lines):
        quotes = line.count('"""') + line.count("'''")
        if start is None and quotes == 1:
            start = index
        elif start is None and quotes >= 2:
            blocks.append((index, index))
        elif start is not None and quotes >= 1:
            blocks.append((start, index))
            start = None
    return blocks


def count_citations(repo: Path) -> list[CountedCitation]:
    labels = (
        (yaml.safe_load(LABELS.read_text()) or {}).get(repo.name, {}) if LABELS.exists() else {}
    )
    found: list[CountedCitation] = []
    for path in sorted(repo.rglob("*")):
        if "node_modules" in path.parts or not path.is_file() or not _TEST_NAME.search(path.name):
            continue
        rel = path.relative_to(repo).as_posix()
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        blocks = _blocks(lines)
        module = next((b for b in blocks if b[0] < 3), None)
        module_feature = _feature_in(lines, module)
        for index, line in enumerate(lines):
            for match in _LIST.finditer(line):
                block = next((b for b in blocks if b[0] <= index <= b[1]), None)
                feature = _feature_in(lines, block) or module_feature or labels.get(rel)
                for number in _numbers(match.group(1)):
                    found.append(CountedCitation(rel, index + 1, number, feature))
            spec_number = _SPEC_NUMBER.search(line)
            for match in _ID.finditer(line):
                feature = spec_number.group(1) if spec_number else labels.get(rel)
                value = f"{match.group(1)}-{int(match.group(2))}"
                found.append(CountedCitation(rel, index + 1, value, feature))
    return found


def _feature_in(lines: list[str], block: tuple[int, int] | None) -> str | None:
    if block is None:
        return None
    for line in lines[block[0] : block[1] + 1]:
        if match := _FEATURE.search(line):
            return match.group(1)
    return None


def docstring_feature(
    repo: Path, item: CountedCitation, numbers: dict[str, set[str]]
) -> str | None:
    """The feature the test module's own docstring names by its title ("Property-based tests
    for Template Metadata Standardization" -> template-metadata-standardization): the longest
    feature folder name that appears, as words, in the module docstring, if that feature has
    the cited requirement number (a module about one feature may cite another's)."""
    lines = _text(repo / item.file).splitlines()
    module = next((b for b in _blocks(lines) if b[0] < 3), None)
    if module is None:
        return None
    text = " ".join(lines[module[0] : module[1] + 1]).lower()
    words = "-" + "-".join(re.findall(r"[a-z0-9]+", text)) + "-"
    named = [f for f in numbers if f"-{f}-" in words]
    best = max(named, key=len) if named else None
    return best if best and item.number.split(".")[0] in numbers[best] else None


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")
