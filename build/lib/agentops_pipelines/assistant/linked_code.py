"""Code and test passages for SpecGPT's context, from the repository linked to a spec.

A spec's code repository comes from `config/code_links.yaml` (`links.linked_repo`). Each of its
symbols becomes a passage: a test function (with its file:line and `@pytest.mark.requirement`
IDs) or a code symbol (function, class, method) with its signature and docstring. Passages are
gated by the same word overlap as spec passages and ranked by that overlap plus the codeintel
BM25 score of their file.

Symbols come from the codeintel index (cached by file sha256 under the artefact root). The
passages of a repository are kept per process and rebuilt only when a file's size or mtime
changes, so a question costs one stat walk of the repository, not a parse.
"""

from __future__ import annotations

import ast
import hashlib
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from agentops_pipelines.assistant.context import (
    Passage,
    Source,
    SourceKind,
    content_terms,
    estimate_tokens,
    required_overlap,
)
from agentops_pipelines.codeintel.index import build_index, source_files
from agentops_pipelines.codeintel.lexical import CodeSearch
from agentops_pipelines.codeintel.models import CodeIndex, Symbol
from agentops_pipelines.links import CodeLinksError, linked_repo
from agentops_pipelines.qa.discover import head_commit

log = logging.getLogger(__name__)

CODE_KINDS = frozenset({"function", "class", "method", "interface", "type", "enum"})
_TEST_FILE = re.compile(
    r"(^|/)(tests?|__tests__)/|(^|/)test_[^/]*$|_test\.py$|\.(test|spec)\.[cm]?[jt]sx?$"
)
_MARKERS = {"requirement", "requirements"}
GENERIC = frozenset({"test", "function", "method", "class"})
"""Words that say which kind of passage is wanted, not what it is about: they rank tests or
code first (`TEST_BONUS`) but never count as overlap (every test name starts with 'test')."""
TEST_BONUS = 0.5
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
DOC_CHARS = 400


@dataclass(frozen=True)
class CodeEntry:
    """One test or code symbol: its passage text and the stemmed words the gate compares."""

    kind: SourceKind
    file: str
    symbol: str
    line: int
    text: str
    terms: frozenset[str]
    requirement_ids: tuple[str, ...]


@dataclass(frozen=True)
class RepoPassages:
    """A repository's entries with its file search, valid while `fingerprint` matches."""

    fingerprint: tuple[tuple[str, int, int], ...]
    entries: tuple[CodeEntry, ...]
    search: CodeSearch
    commit: str | None


_REPOS: dict[str, RepoPassages] = {}
_LOCK = threading.Lock()


def is_test_file(path: str) -> bool:
    """pytest's and jest/vitest's naming: test_*.py, *_test.py, tests/, *.test.ts, *.spec.js."""
    return bool(_TEST_FILE.search(path))


def _words(name: str) -> str:
    """`test_expired_token` / `parseLine` -> 'test expired token' / 'parse line': the words a
    question uses, so the overlap gate and the extractive answer can meet them."""
    return " ".join(_CAMEL.sub(" ", name).replace("_", " ").replace(".", " ").lower().split())


def _python_details(text: str) -> dict[int, tuple[str, list[str]]]:
    """Definition line -> (first docstring paragraph, requirement marker IDs), read with ast
    (never imported); a file that does not parse has no details, its symbols still count."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return {}
    details: dict[int, tuple[str, list[str]]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        doc = (ast.get_docstring(node) or "").split("\n\n", 1)[0]
        ids: list[str] = []
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
                continue
            if decorator.func.attr not in _MARKERS:
                continue
            for arg in decorator.args:
                values = arg.elts if isinstance(arg, ast.List | ast.Tuple) else [arg]
                ids += [
                    part
                    for v in values
                    if isinstance(v, ast.Constant) and isinstance(v.value, str)
                    for part in re.split(r"[,\s;]+", v.value)
                    if part
                ]
        details[node.lineno] = (" ".join(doc.split())[:DOC_CHARS], list(dict.fromkeys(ids)))
    return details


def _entry(path: str, symbol: Symbol, doc: str, ids: list[str]) -> CodeEntry | None:
    leaf = symbol.name.rsplit(".", 1)[-1]
    if is_test_file(path):
        if not leaf.startswith("test") or symbol.kind not in ("function", "method"):
            return None  # fixtures and helpers of a test file are not tests
        kind: SourceKind = "test"
        covers = f" covers {', '.join(ids)}" if ids else ""
        head = f"Test {symbol.name} ({_words(leaf)}) in {path}:{symbol.line}{covers}."
    elif symbol.kind in CODE_KINDS:
        kind = "code"
        head = f"{symbol.kind.capitalize()} {symbol.name} ({_words(symbol.name)}) in {path}:"
        head += f"{symbol.line}."
    else:
        return None
    text = "\n".join(part for part in (head, symbol.signature or symbol.name, doc) if part)
    words = [_words(symbol.name), symbol.signature, doc, " ".join(ids), _words(path)]
    terms = content_terms(" ".join(words)) - GENERIC
    return CodeEntry(kind, path, symbol.name, symbol.line, text, frozenset(terms), tuple(ids))


def _entries(index: CodeIndex, contents: dict[str, str]) -> tuple[CodeEntry, ...]:
    found: list[CodeEntry] = []
    for path, info in sorted(index.files.items()):
        details = _python_details(contents[path]) if info.language == "python" else {}
        for symbol in info.symbols:
            doc, ids = details.get(symbol.line, ("", []))
            entry = _entry(path, symbol, doc, ids)
            if entry is not None:
                found.append(entry)
    return tuple(found)


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in source_files(root):
        stat = (root / path).stat()
        out.append((path, stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def repo_passages(root: Path, cache_dir: Path | None = None) -> RepoPassages:
    """The repository's entries, rebuilt only when a source file's size or mtime changed."""
    root = root.resolve()
    key = str(root)
    fingerprint = _fingerprint(root)
    with _LOCK:
        known = _REPOS.get(key)
        if known is not None and known.fingerprint == fingerprint:
            return known
    cache = None
    if cache_dir is not None:
        cache = cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"
    index = build_index(root, cache)
    search = CodeSearch.of_repo(index, root)
    repo = RepoPassages(fingerprint, _entries(index, search.contents), search, head_commit(root))
    with _LOCK:
        _REPOS[key] = repo
    return repo


class LinkedCode:
    """`CodeFn` for `build_context`: passages of the repositories linked to the specs in scope.

    `links_path` is the code-links file (default `config/code_links.yaml` or
    AGENTOPS_CODE_LINKS); `cache_dir` holds the codeintel index of each repository.
    """

    def __init__(
        self, cache_dir: Path | None = None, links_path: Path | None = None, per_repo: int = 8
    ) -> None:
        self.cache_dir = cache_dir
        self.links_path = links_path
        self.per_repo = per_repo

    def repos(self, spec_ids: list[str]) -> dict[Path, str]:
        """Linked repository -> the first spec in scope that links it."""
        found: dict[Path, str] = {}
        for spec_id in spec_ids:
            try:
                repo = linked_repo(spec_id, self.links_path)
            except CodeLinksError as err:  # the QA assets report a broken file; answer anyway
                log.warning("SpecGPT: no code passages, %s", err)
                return {}
            if repo is not None:
                found.setdefault(repo, spec_id)
        return found

    def __call__(self, query: str, spec_ids: list[str]) -> list[Passage]:
        wanted = content_terms(query)
        need = required_overlap(" ".join(wanted - GENERIC))
        passages: list[Passage] = []
        for root, spec_id in self.repos(spec_ids).items():
            try:
                repo = repo_passages(root, self.cache_dir)
            except OSError as err:  # a link to a missing folder: say so in the log, go on
                log.warning("SpecGPT: code repository %s of %s unreadable: %s", root, spec_id, err)
                continue
            passages += self._rank(repo, root, spec_id, wanted, need, query)
        return sorted(passages, key=lambda p: -p.score)

    def _rank(
        self, repo: RepoPassages, root: Path, spec_id: str, wanted: set[str], need: int, query: str
    ) -> list[Passage]:
        """Word overlap with the question (the gate and the main score) plus the file's BM25
        score scaled to [0, 1], so a symbol in a file about the topic wins a tie, plus a bonus
        when the question asks for tests (or code) and the passage is one."""
        files = dict(repo.search.rank(query))
        top = max(files.values(), default=0.0) or 1.0
        bonus = {"test": TEST_BONUS if "test" in wanted else 0.0}
        bonus["code"] = TEST_BONUS if wanted & (GENERIC - {"test"}) else 0.0
        scored = []
        for entry in repo.entries:
            overlap = len(wanted & entry.terms)
            if overlap >= need:
                score = overlap + files.get(entry.file, 0.0) / top + bonus.get(entry.kind, 0.0)
                scored.append((score, entry))
        scored.sort(key=lambda item: (-item[0], item[1].kind != "test", item[1].file, item[1].line))
        where = str(root.resolve())
        return [
            Passage(
                source=Source(
                    kind=entry.kind,
                    spec_id=spec_id,
                    requirement_ids=list(entry.requirement_ids),
                    commit=repo.commit,
                    chunk_id=f"{entry.kind}:{where}:{entry.file}:{entry.line}:{entry.symbol}",
                    repo=where,
                    file=entry.file,
                    symbol=entry.symbol,
                    line=entry.line,
                ),
                text=entry.text,
                score=round(score, 4),
                tokens=estimate_tokens(entry.text),
            )
            for score, entry in scored[: self.per_repo]
        ]
