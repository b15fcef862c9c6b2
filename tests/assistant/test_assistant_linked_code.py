"""Context with code and test names: a spec linked to a code repository (code_links.yaml) gets
passages for its test functions (file:line, requirement markers) and code symbols, cited like
spec passages; an unlinked spec keeps the spec-only context; the token budget holds."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from agentops_pipelines.assistant.ask import answer
from agentops_pipelines.assistant.context import build_context, estimate_tokens
from agentops_pipelines.assistant.linked_code import LinkedCode, is_test_file, repo_passages
from agentops_pipelines.assistant.specgpt import SpecGPT
from agentops_pipelines.retrieval.models import SearchFilters, SearchHit

SPEC = "billing/spec.md"
REFUNDS = '''"""Refund rules."""

WINDOW_DAYS = 30


def refund_allowed(days_since_invoice: int) -> bool:
    """Refunds of an invoice are possible within thirty days."""
    return days_since_invoice <= WINDOW_DAYS


class RefundLedger:
    """Every refund paid, per invoice."""

    def record(self, invoice_id: str, amount: int) -> None:
        self.last = (invoice_id, amount)
'''
TESTS = '''import pytest

from payments.refunds import refund_allowed


@pytest.fixture
def ledger():
    return []


@pytest.mark.requirement("FR-001")
def test_refund_rejected_after_thirty_days():
    """A refund requested after thirty days is refused."""
    assert not refund_allowed(31)


@pytest.mark.requirements(["FR-002", "NFR-1"])
def test_invoice_pdf_is_emailed(ledger):
    assert ledger == []
'''


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """A tiny repository and a code-links file linking `billing/*` to it."""
    repo = tmp_path / "repo"
    (repo / "payments").mkdir(parents=True)
    (repo / "tests").mkdir()
    (repo / "payments" / "__init__.py").write_text("")
    (repo / "payments" / "refunds.py").write_text(REFUNDS)
    (repo / "tests" / "test_refunds.py").write_text(TESTS)
    links = tmp_path / "config" / "code_links.yaml"
    links.parent.mkdir()
    links.write_text(f'links:\n  - spec: "billing/*"\n    repo: {repo}\n')
    return repo, links


def hit(chunk: str, text: str, score: float, spec: str = SPEC) -> SearchHit:
    return SearchHit(
        chunk_id=chunk,
        spec_id=spec,
        requirement_ids=[chunk.rsplit(":", 1)[-1]],
        section_path=["Billing"] if spec == SPEC else ["Auth"],
        text=text,
        score=score,
    )


HITS = [
    hit(
        "b#req:FR-1", "Refunds of an invoice are possible within 30 days, after that refused.", 2.0
    ),
    hit("b#req:FR-2", "Invoices are emailed as PDF every month.", 1.0),
    hit(
        "a#req:R1",
        "Users sign in with a password; a refund needs a fresh sign in.",
        0.5,
        "auth/x.md",
    ),
]


def search(query: str, filters: SearchFilters, top_k: int) -> list[SearchHit]:
    wanted = set(filters.spec_ids or [h.spec_id for h in HITS])
    return [h for h in HITS if h.spec_id in wanted][:top_k]


QUESTION = "Which test checks that a refund after thirty days is rejected?"


def test_assistant_linked_code_test_passage_with_its_source(linked, tmp_path: Path) -> None:
    repo, links = linked
    code = LinkedCode(tmp_path / "cache", links)
    context = build_context(QUESTION, search, filters=SearchFilters(spec_ids=[SPEC]), code=code)
    kinds = [p.source.kind for p in context.passages]
    assert kinds[0] == "spec" and "test" in kinds
    assert kinds == sorted(kinds, key=lambda k: k != "spec")  # spec passages first
    test = next(p for p in context.passages if p.source.kind == "test")
    line = TESTS.splitlines().index("def test_refund_rejected_after_thirty_days():") + 1
    assert test.source.model_dump(include={"spec_id", "repo", "file", "symbol", "line"}) == {
        "spec_id": SPEC,
        "repo": str(repo.resolve()),
        "file": "tests/test_refunds.py",
        "symbol": "test_refund_rejected_after_thirty_days",
        "line": line,
    }
    assert test.source.requirement_ids == ["FR-001"]
    assert test.source.label == (
        f"test: tests/test_refunds.py:{line} test_refund_rejected_after_thirty_days [FR-001]"
    )
    assert "A refund requested after thirty days is refused." in test.text
    symbols = {p.source.symbol for p in context.passages}
    assert "ledger" not in symbols  # a fixture of a test file is not a test
    assert "test_invoice_pdf_is_emailed" not in symbols  # shares no word with the question
    # the index of the repository is cached under the given folder (codeintel, by file hash)
    assert list((tmp_path / "cache").glob("*.json"))


def test_assistant_linked_code_answer_cites_the_test(linked, tmp_path: Path) -> None:
    _repo, links = linked
    context = build_context(
        QUESTION, search, filters=SearchFilters(spec_ids=[SPEC]), code=LinkedCode(None, links)
    )
    result = answer(QUESTION, context)
    assert result.found and [s.kind for s in result.sources] == [
        p.source.kind for p in context.passages
    ]
    cited = {result.sources[n - 1].symbol for c in result.claims for n in c.citations}
    assert "test_refund_rejected_after_thirty_days" in cited
    n = next(i for i, s in enumerate(result.sources, 1) if s.kind == "test")
    assert f"[{n}:test]" in result.text  # a code citation reads differently from a spec one
    assert re.search(r"\[\d+\](?!:)", result.text)  # spec citations keep the plain form


def test_assistant_linked_code_markers_and_code_symbols(linked, tmp_path: Path) -> None:
    _repo, links = linked
    code = LinkedCode(None, links)
    emailed = {p.source.symbol: p for p in code("Which tests cover invoice pdf emails?", [SPEC])}
    assert emailed["test_invoice_pdf_is_emailed"].source.requirement_ids == ["FR-002", "NFR-1"]
    found = {p.source.symbol: p for p in code("refund ledger per invoice", [SPEC])}
    assert found["RefundLedger"].source.kind == "code"
    assert found["RefundLedger"].source.file == "payments/refunds.py"
    assert "Every refund paid, per invoice." in found["RefundLedger"].text
    assert "WINDOW_DAYS" not in found  # variables are not passages
    assert is_test_file("tests/unit/helpers.py") and is_test_file("src/a.spec.ts")
    assert not is_test_file("payments/refunds.py")


def test_assistant_linked_code_unlinked_spec_is_unchanged(linked, tmp_path: Path) -> None:
    _repo, links = linked
    question = "Do users need a fresh sign in for a refund?"
    filters = SearchFilters(spec_ids=["auth/x.md"])
    plain = build_context(question, search, filters=filters)
    with_code = build_context(question, search, filters=filters, code=LinkedCode(None, links))
    assert with_code.passages and all(p.source.kind == "spec" for p in with_code.passages)
    assert with_code == plain
    assert LinkedCode(None, links).repos(["auth/x.md"]) == {}


@pytest.mark.parametrize(
    ("budget", "kinds"),
    [(40, ["spec"]), (90, ["spec", "test"]), (200, ["spec", "test", "code"])],
)
def test_assistant_linked_code_token_budget_holds(linked, budget: int, kinds: list[str]) -> None:
    """Spec passage ~17 tokens, the test ~55, `refund_allowed` ~43: what fits goes in."""
    _repo, links = linked
    context = build_context(
        QUESTION,
        search,
        filters=SearchFilters(spec_ids=[SPEC]),
        code=LinkedCode(None, links),
        budget_tokens=budget,
    )
    assert [p.source.kind for p in context.passages] == kinds
    assert context.used_tokens == sum(p.tokens for p in context.passages) <= budget
    assert all(p.tokens == estimate_tokens(p.text) for p in context.passages)
    ids = [p.source.chunk_id for p in context.passages]
    assert len(ids) == len(set(ids))


def test_assistant_linked_code_is_rebuilt_only_when_a_file_changes(linked) -> None:
    repo, _links = linked
    first = repo_passages(repo)
    assert repo_passages(repo) is first  # same files: nothing parsed again, same object
    test_file = repo / "tests" / "test_refunds.py"
    test_file.write_text(TESTS + "\n\ndef test_partial_refund_is_recorded():\n    pass\n")
    stat = test_file.stat()
    os.utime(test_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = repo_passages(repo)
    assert second is not first
    assert "test_partial_refund_is_recorded" in {e.symbol for e in second.entries}


def test_assistant_linked_code_through_ask(
    specgpt_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service passes the linked repository (the bundled links file: auth-login-mfa ->
    examples/repos/authmfa) into the context; a test of that repo is cited with its file:line."""
    spec = "auth-login-mfa/requirements.md"
    result = SpecGPT().ask(
        "Which test checks that the TOTP secret is 160 bits?", "ada", "en", [spec]
    )
    tests = [s for s in result.sources if s.kind == "test"]
    assert tests and tests[0].file == "tests/test_auth.py"
    assert tests[0].symbol == "test_totp_secret_is_160_bits_and_base32"
    assert tests[0].requirement_ids == ["REQ-2"] and tests[0].spec_id == spec
    assert tests[0].repo and tests[0].repo.endswith("examples/repos/authmfa")
    empty = tmp_links(specgpt_home)
    monkeypatch.setenv("AGENTOPS_CODE_LINKS", str(empty))
    unlinked = SpecGPT().ask(
        "Which test checks that the TOTP secret is 160 bits?", "bob", "en", [spec]
    )
    assert unlinked.found and {s.kind for s in unlinked.sources} == {"spec"}


def tmp_links(home: Path) -> Path:
    path = home / "code_links.yaml"
    path.write_text("links: []\n")
    return path
