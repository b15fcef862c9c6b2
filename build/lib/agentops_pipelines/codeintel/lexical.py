"""Lexical retrieval over code: BM25 on identifier pieces of paths, symbol names and contents.

Identifiers are split on snake_case and camelCase so a task saying "invoice number" finds
`nextInvoiceNumber` and `invoice_number.py`. Path and symbol pieces are counted three times:
a file *named* after the concept beats one that mentions it once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

from agentops_pipelines.codeintel.models import CodeIndex

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_STOP_TEXT = (
    "the a an and or of to in on for with by is are be as at it this that from into when then "
    "shall must should may will can not no given def class self return import const let var "
    "function export none true false null undefined new"
)
STOPWORDS = frozenset(_STOP_TEXT.split(" "))
NAME_WEIGHT = 3
K1, B = 1.2, 0.75


def _norm(piece: str) -> str:
    """Lower-case and a light plural strip ("invoices" ~ "invoice"); no stemmer dependency."""
    word = piece.lower()
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def terms(text: str) -> list[str]:
    out = []
    for word in _WORD.findall(text):
        for piece in _CAMEL.findall(word) or [word]:
            term = _norm(piece)
            if len(term) > 1 and term not in STOPWORDS:
                out.append(term)
    return out


def _document(index: CodeIndex, path: str, content: str) -> Counter[str]:
    info = index.files[path]
    names = " ".join([path.replace("/", " "), *(s.name for s in info.symbols)])
    bag = Counter(terms(content))
    for term in terms(names):
        bag[term] += NAME_WEIGHT
    return bag


class CodeSearch:
    """Term bags of every indexed file, built once and queried per task (tokenising a repo is
    the costly part; a query is a dictionary walk)."""

    def __init__(self, index: CodeIndex, contents: dict[str, str]) -> None:
        self.contents = contents
        self.docs = {path: _document(index, path, contents.get(path, "")) for path in index.files}
        self.lengths = {path: sum(bag.values()) for path, bag in self.docs.items()}
        self.avg_len = (sum(self.lengths.values()) / len(self.docs) if self.docs else 0) or 1.0

    @classmethod
    def of_repo(cls, index: CodeIndex, root: Path) -> CodeSearch:
        return cls(
            index,
            {
                p: (Path(root) / p).read_text(encoding="utf-8", errors="replace")
                for p in index.files
            },
        )

    def rank(self, query: str) -> list[tuple[str, float]]:
        """Files by BM25 score for `query`, best first; files scoring 0 are left out."""
        q_terms = set(terms(query))
        df = Counter(t for d in self.docs.values() for t in q_terms if d[t])
        n = len(self.docs)
        scored = []
        for path, bag in self.docs.items():
            score = 0.0
            for term in q_terms:
                tf = bag[term]
                if not tf:
                    continue
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                norm = K1 * (1 - B + B * self.lengths[path] / self.avg_len)
                score += idf * tf * (K1 + 1) / (tf + norm)
            if score > 0:
                scored.append((path, round(score, 4)))
        return sorted(scored, key=lambda item: (-item[1], item[0]))
