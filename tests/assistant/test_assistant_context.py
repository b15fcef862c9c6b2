"""Context builder: relevance gate, dedup, token budget, sources with commit."""

from __future__ import annotations

from agentops_pipelines.assistant.context import build_context, required_overlap
from agentops_pipelines.assistant.patching import PatchConflict, apply_diff, make_diff
from agentops_pipelines.retrieval.models import SearchFilters, SearchHit


def hit(chunk: str, text: str, score: float, spec: str = "billing/spec.md") -> SearchHit:
    return SearchHit(
        chunk_id=chunk,
        spec_id=spec,
        requirement_ids=[chunk.rsplit(":", 1)[-1]],
        section_path=["Billing"] if spec.startswith("billing") else ["Auth"],
        text=text,
        score=score,
    )


HITS = [
    hit("b#req:FR-1", "Invoices are emailed as PDF every month.", 3.0),
    hit("b#req:FR-1", "Invoices are emailed as PDF every month.", 2.9),  # same chunk twice
    hit("b#req:FR-9", "invoices   are emailed as PDF every month.", 2.5),  # same text
    hit("b#req:FR-2", "Invoices are emailed again on request. " * 40, 2.0),  # over budget
    hit("b#req:FR-3", "Refunds of an invoice are possible within 30 days.", 1.5),
    hit("a#req:R1", "Users sign in with a password.", 1.0, "auth/spec.md"),  # irrelevant
]


def search(query: str, filters: SearchFilters, top_k: int) -> list[SearchHit]:
    return HITS[:top_k]


def test_assistant_context_dedups_gates_and_budgets() -> None:
    context = build_context(
        "How are invoices emailed or refunded?",
        search,
        budget_tokens=60,
        commits={"billing/spec.md": "abcdef0123456789"},
    )
    ids = [p.source.chunk_id for p in context.passages]
    assert ids == ["b#req:FR-1", "b#req:FR-3"]
    assert context.retrieved == len(HITS)
    assert context.used_tokens <= 60
    assert context.passages[0].source.commit == "abcdef0123456789"
    assert context.passages[0].source.label == "billing/spec.md § FR-1 @abcdef01"


def test_assistant_context_nothing_relevant_gives_no_passages() -> None:
    context = build_context("What colour is the kitchen coffee machine?", search)
    assert context.passages == []


def test_assistant_context_overlap_needed_grows_with_the_question() -> None:
    assert required_overlap("invoices") == 1
    assert required_overlap("kitchen coffee machine descaling") == 2


def test_assistant_patching_applies_after_lines_moved_and_refuses_conflicts() -> None:
    old = "".join(f"line {n}\n" for n in range(1, 11))
    new = old.replace("line 5\n", "line 5\nadded\n")
    diff = make_diff("s.md", old, new)
    assert apply_diff(old, diff) == new
    moved = "intro\n" + old
    assert apply_diff(moved, diff) == "intro\n" + new
    changed = old.replace("line 5\n", "line five\n")
    try:
        apply_diff(changed, diff)
    except PatchConflict as err:
        assert "regenerate" in str(err)
    else:
        raise AssertionError("a diff whose context is gone must not apply")
