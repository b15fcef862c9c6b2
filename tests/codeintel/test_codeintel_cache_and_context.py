"""The index cache by file hash, token counting and the budgeted context builder."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.codeintel import approx_tokens, build_context, build_index


def test_unchanged_files_are_not_parsed_again(py_repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "art" / "codeintel" / "pyrepo.json"
    first = build_index(py_repo, cache)
    assert cache.exists() and first.reused == 0 and first.parsed == len(first.files)

    second = build_index(py_repo, cache)
    assert second.parsed == 0 and second.reused == len(first.files)
    assert second.deps == first.deps

    (py_repo / "src/shop/numbering.py").write_text("def renamed() -> int:\n    return 1\n")
    third = build_index(py_repo, cache)
    assert third.parsed == 1
    assert [s.name for s in third.files["src/shop/numbering.py"].symbols] == ["renamed"]


def test_a_corrupt_cache_is_ignored_and_rewritten(py_repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "index.json"
    cache.write_text("{not json")
    index = build_index(py_repo, cache)
    assert index.reused == 0 and index.files
    assert build_index(py_repo, cache).parsed == 0


def test_token_estimate_is_documented_rule() -> None:
    assert approx_tokens("") == 0
    text = "def issue_invoice(last: int | None) -> Invoice:"
    assert approx_tokens(text) >= len(text) / 4  # never below the ~4 chars/token average
    assert approx_tokens("a.b.c.d") == 7  # punctuation pieces count one each


def test_context_prefers_declared_files_then_neighbours_then_matches(py_repo: Path) -> None:
    index = build_index(py_repo)
    context = build_context(
        index,
        py_repo,
        "Email the billing contact when an invoice is issued",
        declared=["src/shop/invoices.py"],
        budget_tokens=5000,
    )
    reasons = {f.path: f.reason for f in context.files}
    assert context.files[0].path == "src/shop/invoices.py"
    assert reasons["src/shop/invoices.py"] == "declared"
    assert reasons["src/shop/numbering.py"] == "dependency"
    assert reasons["src/shop/mailer.py"] == "dependency"
    assert "def send_invoice_email" in context.render()
    assert context.used_tokens <= context.budget_tokens


def test_lexical_match_finds_code_by_identifier_pieces(ts_repo: Path) -> None:
    index = build_index(ts_repo)
    context = build_context(
        index, ts_repo, "Format the price label of the cart", budget_tokens=4000
    )
    matched = [f.path for f in context.files if f.reason == "match"]
    assert {"src/cart.ts", "src/util/format.ts"} <= set(matched[:3])
    assert "src/types.ts" not in matched[:3]  # mentions neither price nor format
    assert all(f.score > 0 for f in context.files)


def test_a_new_file_pulls_in_its_folder_siblings(ts_repo: Path) -> None:
    index = build_index(ts_repo)
    context = build_context(
        index, ts_repo, "add a checkout button", ["src/components/Checkout.tsx"]
    )
    assert {f.path for f in context.files if f.reason == "sibling"} == {
        "src/components/Button.tsx",
        "src/components/index.ts",
    }


def test_the_budget_is_never_exceeded(py_repo: Path) -> None:
    index = build_index(py_repo)
    declared = ["src/shop/invoices.py"]
    small = build_context(index, py_repo, "invoice number", declared, budget_tokens=120)
    assert small.used_tokens <= 120
    assert small.files and small.omitted  # something fitted, the rest is listed as omitted
    assert sum(f.tokens for f in small.files) == small.used_tokens
    tiny = build_context(index, py_repo, "invoice number", declared, budget_tokens=60)
    assert all(f.mode == "outline" for f in tiny.files)  # whole files do not fit, outlines do
    assert build_context(index, py_repo, "invoice", declared, budget_tokens=0).files == []
