"""TypeScript / JavaScript symbols, imports and dependency edges through tree-sitter."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.codeintel import build_index
from agentops_pipelines.codeintel.ts_parse import parse_script


def test_symbols_of_typescript_files(ts_repo: Path) -> None:
    index = build_index(ts_repo)
    cart = {s.name: s.kind for s in index.files["src/cart.ts"].symbols}
    assert cart == {"Cart": "class", "Cart.add": "method", "Cart.totalLabel": "method"}
    types = {s.name: s.kind for s in index.files["src/types.ts"].symbols}
    assert types == {"Item": "interface", "Sku": "type"}
    assert index.files["src/components/Button.tsx"].language == "tsx"
    assert [s.name for s in index.files["src/components/Button.tsx"].symbols] == ["Button"]
    legacy = {s.name: s.kind for s in index.files["src/legacy.js"].symbols}
    assert legacy == {"fmt": "variable", "oldTotal": "function"}


def test_imports_reexports_and_require_become_edges(ts_repo: Path) -> None:
    deps = build_index(ts_repo).deps
    # "./util/format.js" in a .ts file means util/format.ts (TypeScript ESM convention).
    assert deps["src/cart.ts"] == ["src/types.ts", "src/util/format.ts"]
    assert deps["src/index.ts"] == ["src/cart.ts", "src/util/format.ts"]
    assert deps["src/legacy.js"] == ["src/util/format.ts"]
    assert deps["src/components/index.ts"] == ["src/components/Button.tsx"]
    assert deps["src/components/Button.tsx"] == []  # react is a package, not a repo file


def test_external_imports_are_kept_as_refs_but_not_edges(ts_repo: Path) -> None:
    info = build_index(ts_repo).files["src/cart.ts"]
    assert "zod" in {i.module for i in info.imports}


def test_syntax_errors_are_reported_with_a_line() -> None:
    assert parse_script("export function (: {\n", "typescript").parse_error == (
        "line 1: syntax error"
    )
    assert parse_script("const ok = 1;\n", "javascript").parse_error is None
