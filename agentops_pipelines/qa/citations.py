"""Which spec and requirement each citation in a test means, decided by evidence.

Kiro numbers (`7.1`) and spec-kit IDs (`FR-025`) repeat across a repository's features, so a
citation is never linked to every spec that has that number. In order, the evidence is:

1. an explicit feature reference in the test text or around it (`Feature: x`, `spec 008`,
   `specs/003-x`, an OpenSpec spec path, the feature's name written out): only that feature's
   requirements qualify;
2. the only spec that has the cited requirement;
then, for what is still open, circumstantial evidence:
3. OpenSpec: the living spec (`openspec/specs/`) over change deltas and the archive, whose
   scenarios repeat it;
4. the feature most of the same file's citations were linked to by 1 or 2;
5. the test's path sharing words with exactly one feature folder's name;
6. the test file named in a feature's tasks.md / plan.md / design.md;
7. the requirement text most like the test's own text, by a clear margin.

A citation still open after that is `ambiguous`, with its candidates listed, and links nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from agentops_pipelines.qa.catalogue import (
    Catalogue,
    CatalogueSpec,
    feature_tokens,
    path_tokens,
)
from agentops_pipelines.qa.citation_text import Cited, cited, feature_refs
from agentops_pipelines.qa.test_contexts import TestContext
from agentops_pipelines.specs.parsing.ids import normalise

CitationStatus = Literal["linked", "ambiguous", "unknown"]
_WORD = re.compile(r"[a-zäöüß0-9]{4,}")
_MIN_TITLE_WORDS = 3


class Citation(BaseModel):
    test_id: str
    file: str
    line: int
    kind: str = Field(description="where it was written: marker, name, docstring, comment")
    cited: str = Field(description="the citation as written, e.g. 'Requirements: 7.1'")
    value: str
    status: CitationStatus
    spec_key: str | None = None
    requirement_id: str | None = None
    evidence: str = ""
    candidates: list[str] = Field(default_factory=list, description="'spec key#REQ' options")


Candidate = tuple[CatalogueSpec, str]


def resolve_citations(
    contexts: Iterable[TestContext], catalogue: Catalogue, test_root: Path | None = None
) -> list[Citation]:
    scopes: dict[tuple[str, ...], tuple[list[CatalogueSpec], bool]] = {}
    phrases = {s.key: _phrase(s) for s in catalogue.specs}
    decided: list[Citation] = []
    pending: list[tuple[int, TestContext, list[Candidate]]] = []
    for context in contexts:
        items = _cited(context, catalogue)
        if not items:
            continue
        texts = (context.text, *context.enclosing)
        if texts not in scopes:
            scopes[texts] = _scope(texts, catalogue, phrases)
        scope, strong = scopes[texts]
        for item in items:
            for value, candidates in _candidates(item, catalogue, scope):
                citation, still_open = _decide(context, item, value, candidates, scope, strong)
                if still_open:
                    pending.append((len(decided), context, still_open))
                decided.append(citation)
    per_file: dict[str, dict[str, int]] = {}
    for citation in decided:
        if citation.status == "linked" and citation.spec_key:
            counts = per_file.setdefault(citation.file, {})
            counts[citation.spec_key] = counts.get(citation.spec_key, 0) + 1
    for index, context, candidates in pending:
        decided[index] = _weak(
            decided[index], context, candidates, per_file.get(context.file, {}), test_root
        )
    return _dedupe(_one_meaning(decided))


def _one_meaning(citations: list[Citation]) -> list[Citation]:
    """A class docstring is read once per test, with each test's own text as evidence; one
    written citation still means one requirement: the clear majority, else ambiguous."""
    groups: dict[tuple[str, int, str], list[Citation]] = {}
    for item in citations:
        groups.setdefault((item.file, item.line, item.value), []).append(item)
    out = []
    for group in groups.values():
        targets = [(c.spec_key, c.requirement_id) for c in group if c.status == "linked"]
        distinct = set(targets)
        if len(distinct) <= 1:
            out += group
            continue
        best = max(distinct, key=targets.count)
        if targets.count(best) >= 0.8 * len(targets):
            update = {"spec_key": best[0], "requirement_id": best[1], "evidence": "same file"}
            out += [c.model_copy(update=update) if c.status == "linked" else c for c in group]
            continue
        options = sorted(f"{k}#{r}" for k, r in distinct)
        out += [
            c.model_copy(
                update={
                    "status": "ambiguous",
                    "spec_key": None,
                    "requirement_id": None,
                    "evidence": "its tests name different features",
                    "candidates": options,
                }
            )
            for c in group
        ]
    return out


def _by_file_majority(citations: list[Citation]) -> list[Citation]:
    """An ambiguous citation in a file whose other citations were resolved to one of its
    candidate specs, and mostly to that one, goes there: a test file serves one feature."""
    per_file: dict[str, dict[str, int]] = {}
    for item in citations:
        if item.status == "linked" and item.spec_key and item.evidence != "same file":
            counts = per_file.setdefault(item.file, {})
            counts[item.spec_key] = counts.get(item.spec_key, 0) + 1
    out = []
    for item in citations:
        counts = per_file.get(item.file, {})
        options = {c.split("#", 1)[0]: c.split("#", 1)[1] for c in item.candidates}
        if item.status == "ambiguous" and counts:
            best = max(counts, key=lambda k: counts[k])
            if best in options and counts[best] >= 0.8 * sum(counts.values()):
                item = item.model_copy(
                    update={
                        "status": "linked",
                        "spec_key": best,
                        "requirement_id": options[best],
                        "evidence": "same file",
                        "candidates": [],
                    }
                )
        out.append(item)
    return out


def _cited(context: TestContext, catalogue: Catalogue) -> list[Cited]:
    items = cited(context.text)
    if context.kind in ("name", "docstring", "comment") and catalogue.has_openspec:
        items += _implicit_titles(context.text, catalogue, items)
    return items


def _implicit_titles(text: str, catalogue: Catalogue, explicit: list[Cited]) -> list[Cited]:
    """OpenSpec scenario titles and requirement names written without `Scenario:` (a docstring
    that repeats the title, a test named test_health_check_returns_success)."""
    words = normalise(text.replace("_", " "))
    taken = {normalise(c.value) for c in explicit if c.kind == "title"}
    found = []
    for spec in catalogue.specs:
        if spec.format != "openspec":
            continue
        for title in spec.titles:
            if title in taken or len(title.split()) < _MIN_TITLE_WORDS:
                continue
            if re.search(rf"(?<!\w){re.escape(title)}(?!\w)", words):
                taken.add(title)
                found.append(Cited(kind="title", value=title, raw=title))
    return found


def _scope(
    texts: tuple[str, ...], catalogue: Catalogue, phrases: dict[str, str | None]
) -> tuple[list[CatalogueSpec], bool]:
    """Specs named by the nearest text that names any: the snippet, its class, its module.

    A feature is named by a reference (`Feature: x`, a spec path, `spec 008`) or by its folder
    name written out as words ("Additional Compliance Frameworks"); the second is weak evidence
    (a product name can look like a feature name), so it only narrows, never rules out."""
    for text in texts:
        refs = feature_refs(text)
        specs = [s for s in catalogue.specs if any(_names(s, ref) for ref in refs)]
        if specs:
            return specs, True
    for text in texts:
        words = f" {normalise(text.replace('_', ' ').replace('-', ' '))} "
        specs = [s for s in catalogue.specs if (p := phrases[s.key]) and f" {p} " in words]
        if specs:
            return specs, False
    return [], False


def _phrase(spec: CatalogueSpec) -> str | None:
    """`specs/003-recurring-multiday` -> 'recurring multiday'; one-word names are too common."""
    name = re.sub(r"^\d+[-_]", "", spec.feature.rsplit("/", 1)[-1])
    words = normalise(name.replace("-", " ").replace("_", " ")).split()
    return " ".join(words) if len(words) >= 2 else None


def _names(spec: CatalogueSpec, ref: str) -> bool:
    ref = ref.lower().strip("/")
    feature = spec.feature.lower()
    return ref in spec.names or feature.endswith("/" + ref) or feature == ref


def _candidates(
    item: Cited, catalogue: Catalogue, scope: list[CatalogueSpec]
) -> list[tuple[str, list[Candidate]]]:
    """(value, candidates) pairs; a design property expands to the numbers it validates."""
    specs = catalogue.specs
    if item.kind == "number":
        major = item.value.split(".")[0]
        return [(item.value, [(s, s.numbers[major]) for s in specs if major in s.numbers])]
    if item.kind == "id":
        return [
            (item.value, [(s, s.id_keys[item.value]) for s in specs if item.value in s.id_keys])
        ]
    if item.kind == "title":
        title = normalise(item.value)
        return [(item.value, [(s, req) for s in specs if (req := _title(s, title))])]
    out = []
    for spec in scope:  # a property number means nothing without its feature's design.md
        for number in spec.properties.get(item.value, []):
            major = number.split(".")[0]
            if major in spec.numbers:
                out.append((number, [(spec, spec.numbers[major])]))
    return out


def _title(spec: CatalogueSpec, title: str) -> str | None:
    if title in spec.titles:
        return spec.titles[title]
    if len(title.split()) >= _MIN_TITLE_WORDS:  # a title cut short by the author
        return next((r for t, r in spec.titles.items() if t.startswith(title)), None)
    return None


def _decide(
    context: TestContext,
    item: Cited,
    value: str,
    candidates: list[Candidate],
    scope: list[CatalogueSpec],
    strong: bool,
) -> tuple[Citation, list[Candidate]]:
    """Strong evidence only (a feature reference, the only spec with the requirement); what
    stays open goes to `_weak` once every strong link of the file is known."""
    base = Citation(
        test_id=context.test_id,
        file=context.file,
        line=context.line + context.text[: item.offset].count("\n"),
        kind=context.kind,
        cited=item.raw if item.kind != "property" else f"{item.raw} (design.md)",
        value=value,
        status="unknown",
    )
    in_scope = [c for c in candidates if c[0] in scope]
    if scope and (in_scope or strong):
        if not in_scope:
            names = ", ".join(s.feature for s in scope)
            return base.model_copy(update={"evidence": f"{names} has no {value}"}), []
        candidates = in_scope
        evidence = "feature reference" if strong else "feature named in text"
    else:
        evidence = "only spec with it"
    if not candidates:
        return base.model_copy(update={"evidence": "no spec has it"}), []
    if len({c[0].key for c in candidates}) == 1:
        return _linked(base, candidates[0], evidence), []
    return _ambiguous(base, candidates), candidates


def _weak(
    citation: Citation,
    context: TestContext,
    candidates: list[Candidate],
    file_counts: dict[str, int],
    test_root: Path | None,
) -> Citation:
    """Circumstantial evidence, most telling first; each step only narrows."""
    for narrow, label in (
        (_living, "living spec"),
        (lambda cs: _file_majority(cs, file_counts), "same file"),
        (lambda cs: _by_path(cs, context.file, test_root), "test path"),
        (lambda cs: _named_file(cs, context.file, test_root), "named in tasks/plan"),
        (lambda cs: _by_text(cs, context), "requirement text"),
    ):
        narrowed = narrow(candidates) or candidates
        if len({c[0].key for c in narrowed}) == 1:
            return _linked(citation, narrowed[0], label)
        candidates = narrowed
    return _ambiguous(citation, candidates)


def _linked(base: Citation, candidate: Candidate, evidence: str) -> Citation:
    spec, req = candidate
    return base.model_copy(
        update={
            "status": "linked",
            "spec_key": spec.key,
            "requirement_id": req,
            "evidence": evidence,
            "candidates": [],
        }
    )


def _ambiguous(base: Citation, candidates: list[Candidate]) -> Citation:
    return base.model_copy(
        update={
            "status": "ambiguous",
            "evidence": "several features have it and no evidence picks one",
            "candidates": sorted(f"{s.key}#{r}" for s, r in candidates),
        }
    )


def _file_majority(candidates: list[Candidate], counts: dict[str, int]) -> list[Candidate]:
    """The candidate spec most of this file's strongly linked citations went to."""
    scores = {c[0].key: counts.get(c[0].key, 0) for c in candidates}
    best = max(scores.values(), default=0)
    if best == 0 or list(scores.values()).count(best) > 1:
        return []
    return [c for c in candidates if scores[c[0].key] == best]


def _relative(file: str, root: Path | None) -> str:
    path = Path(file)
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _named_file(candidates: list[Candidate], file: str, root: Path | None) -> list[Candidate]:
    rel = _relative(file, root)
    name = Path(file).name

    def named(spec: CatalogueSpec) -> bool:
        return any(
            rel.endswith(n.lstrip("./")) if "/" in n else n == name for n in spec.named_files
        )

    return [c for c in candidates if named(c[0])]


def _by_path(candidates: list[Candidate], file: str, root: Path | None) -> list[Candidate]:
    words = path_tokens(_relative(file, root))
    scores = {c[0].key: len(words & feature_tokens(c[0])) for c in candidates}
    best = max(scores.values(), default=0)
    if best == 0 or list(scores.values()).count(best) > 1:
        return []
    return [c for c in candidates if scores[c[0].key] == best]


def _living(candidates: list[Candidate]) -> list[Candidate]:
    return [c for c in candidates if c[0].layout == "openspec" and c[0].is_living]


def _by_text(candidates: list[Candidate], context: TestContext) -> list[Candidate]:
    """Word overlap between the test's text and each candidate requirement, clear winner only."""
    words = set(_WORD.findall(context.text.lower().replace("_", " ")))
    scores = [
        (len(words & set(_WORD.findall(spec.texts.get(req, "").lower()))), (spec, req))
        for spec, req in candidates
    ]
    scores.sort(key=lambda s: -s[0])
    if not scores or scores[0][0] < 2:
        return []
    if len(scores) > 1 and scores[0][0] < 1.5 * scores[1][0]:
        return []
    return [scores[0][1]]


def _dedupe(citations: list[Citation]) -> list[Citation]:
    """One citation per (test, line, value, status, target): a class docstring cited once for
    each of its tests, not once per reading."""
    seen: dict[tuple, Citation] = {}
    for item in citations:
        key = (item.test_id, item.line, item.value, item.status, item.spec_key, item.requirement_id)
        seen.setdefault(key, item)
    return list(seen.values())
