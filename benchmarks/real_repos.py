"""Real repositories written by others: how many of the authors' requirement citations become
correct links, and how many are linked to more than one feature.

For each shared repository (`../shared/data/repos/`):
- `written`: citations counted by the independent counter (`citation_counter.py`, not the
  linker), each with the feature the author named (`Feature: x` in the docstring or module),
  or, when the author named none, the only feature whose requirements.md has that requirement
  number (an independent heading scan), or a hand label, or the feature the test module's
  docstring names by its title; the rest are `unlabelled`;
- `correct`: labelled citations the linker linked to that feature's requirement `REQ-N`;
- `multi-feature`: written citations (file, line, number) the linker linked to two features;
- `ambiguous`: citations the linker listed as ambiguous (linked nowhere).
Then the run figures of `benchmarks/real_repos_runs.py` (`measure_runs`) when that module exists.

Run: .venv/bin/python benchmarks/real_repos.py
"""

from __future__ import annotations

import importlib.util
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from citation_counter import CountedCitation, count_citations, docstring_feature  # noqa: E402

from agentops_pipelines.qa.citation_text import id_key  # noqa: E402
from agentops_pipelines.qa.repo_citations import repo_citations  # noqa: E402

REPOS = ROOT.parent / "shared" / "data" / "repos"
NAMES = ("kiro-handbook-generator", "speckit-community-mgmt")
_HEADING = re.compile(r"^#+\s*(?:Requirement|Anforderung)\s+(\d+)|^#+\s*(\d+)\.\s", re.I)


def requirement_numbers(repo: Path) -> dict[str, set[str]]:
    """feature folder -> requirement numbers, from headings (independent of the parser)."""
    numbers: dict[str, set[str]] = {}
    for path in sorted(repo.glob(".kiro/specs/*/requirements.md")):
        found = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := _HEADING.match(line):
                found.add(m.group(1) or m.group(2))
        numbers[path.parent.name] = found
    return numbers


def gold(
    item: CountedCitation, numbers: dict[str, set[str]], repo: Path | None = None
) -> str | None:
    if item.feature:
        return item.feature
    major = item.number.split(".")[0]
    having = [f for f, n in numbers.items() if major in n]
    if len(having) == 1:
        return having[0]
    return docstring_feature(repo, item, numbers) if repo is not None and numbers else None


def measure_citations(repo: Path) -> dict:
    started = time.perf_counter()
    counted = count_citations(repo)
    numbers = requirement_numbers(repo)
    catalogue, citations = repo_citations(repo)
    seconds = time.perf_counter() - started
    features = {s.key: s.feature.rsplit("/", 1)[-1] for s in catalogue.specs}
    numbered = {f.split("-", 1)[0]: f for f in features.values() if f[:3].isdigit()}
    linked: dict[tuple[str, int, str], set[tuple[str, str]]] = defaultdict(set)
    ambiguous: set[tuple[str, int, str]] = set()
    for c in citations:
        rel = Path(c.file).resolve().relative_to(repo.resolve()).as_posix()
        key = (rel, c.line, c.value)
        if c.status == "linked" and c.spec_key and c.requirement_id:
            linked[key].add((features[c.spec_key], c.requirement_id))
        elif c.status == "ambiguous":
            ambiguous.add(key)
    correct = labelled = multi = amb = unlabelled_linked = 0
    for item in counted:
        key = (item.file, item.line, item.number)
        targets = linked.get(key, set())
        if len({f for f, _ in targets}) > 1:
            multi += 1
        amb += key in ambiguous
        feature = gold(item, numbers, repo)
        if feature is None:
            unlabelled_linked += bool(targets)
            continue
        labelled += 1
        if item.number[0].isdigit():
            want = (feature, f"REQ-{item.number.split('.')[0]}")
            correct += targets == {want}
        else:  # an author ID: same feature (by folder or number), same ID up to leading zeros
            feature = numbered.get(feature, feature)
            correct += {(f, id_key(r)) for f, r in targets} == {(feature, item.number)}
    multi_linker = sum(1 for t in linked.values() if len({f for f, _ in t}) > 1)
    return {
        "written": len(counted),
        "labelled": labelled,
        "correct": correct,
        "multi_feature": multi,
        "multi_feature_any": multi_linker,
        "ambiguous": amb,
        "unlabelled_linked": unlabelled_linked,
        "linker_links": sum(len(t) for t in linked.values()),
        "specs": len(catalogue.specs),
        "seconds": round(seconds, 1),
    }


def _runs(repo: Path) -> str:
    path = ROOT / "benchmarks" / "real_repos_runs.py"
    if not path.exists():
        return "runs: not available (benchmarks/real_repos_runs.py is not in this checkout)"
    spec = importlib.util.spec_from_file_location("real_repos_runs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.measure_runs(repo)
    return "runs: " + " ".join(f"{k}={v}" for k, v in figures.items())


def main() -> None:
    """`--no-runs`: citations only (the runs take minutes to half an hour per repository)."""
    runs = "--no-runs" not in sys.argv[1:]
    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
    for name in NAMES:
        repo = REPOS / name
        if not repo.is_dir():
            print(f"{name}: not found at {repo}")
            continue
        m = measure_citations(repo)
        share = m["correct"] / m["written"] if m["written"] else 1.0
        share_labelled = m["correct"] / m["labelled"] if m["labelled"] else 1.0
        print(
            f"{name}: specs={m['specs']} citations written={m['written']} "
            f"labelled={m['labelled']} correct={m['correct']} "
            f"correct/written={share:.1%} correct/labelled={share_labelled:.1%} "
            f"linked-to-2+-features={m['multi_feature']} (any linker citation: "
            f"{m['multi_feature_any']}) ambiguous={m['ambiguous']} "
            f"unlabelled={m['written'] - m['labelled']} (linked, unverified: "
            f"{m['unlabelled_linked']}) seconds={m['seconds']}"
        )
        if runs:
            print(f"{name}: {_runs(repo)}")


if __name__ == "__main__":
    main()
