"""Python symbols, imports and dependency edges through `ast`."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.codeintel import build_index


def test_symbols_and_imports_of_a_python_module(py_repo: Path) -> None:
    index = build_index(py_repo)
    info = index.files["src/shop/invoices.py"]
    kinds = {s.name: s.kind for s in info.symbols}
    assert kinds == {"Invoice": "class", "Invoice.as_json": "method", "issue_invoice": "function"}
    assert {(i.module, tuple(i.names)) for i in info.imports} == {
        ("dataclasses", ("dataclass",)),
        ("shop.numbering", ("next_number",)),
    }
    signature = next(s.signature for s in info.symbols if s.name == "issue_invoice")
    assert signature.startswith("def issue_invoice(last: int | None")
    assert {s.name for s in index.files["src/shop/numbering.py"].symbols} == {
        "SEQUENCE_START",
        "next_number",
    }


def test_dependency_graph_resolves_absolute_relative_and_submodule_imports(py_repo: Path) -> None:
    deps = build_index(py_repo).deps
    assert deps["src/shop/invoices.py"] == ["src/shop/numbering.py"]
    assert deps["src/shop/mailer.py"] == ["src/shop/invoices.py"]
    # `from shop import numbering` names a submodule; `from ..invoices` climbs one package.
    assert deps["src/shop/reports/monthly.py"] == [
        "src/shop/__init__.py",
        "src/shop/invoices.py",
        "src/shop/numbering.py",
    ]
    assert deps["tests/test_invoices.py"] == ["src/shop/invoices.py"]  # json is not in the repo


def test_dependents_and_neighbourhood(py_repo: Path) -> None:
    index = build_index(py_repo)
    assert index.dependents("src/shop/invoices.py") == [
        "src/shop/mailer.py",
        "src/shop/reports/monthly.py",
        "tests/test_invoices.py",
    ]
    near = index.neighbourhood(["src/shop/numbering.py"], hops=2)
    assert near["src/shop/numbering.py"] == 0
    assert near["src/shop/invoices.py"] == 1
    assert near["src/shop/mailer.py"] == 2


def test_a_file_that_does_not_parse_is_indexed_with_its_error(py_repo: Path) -> None:
    index = build_index(py_repo)
    broken = index.files["scripts/broken.py"]
    assert broken.parse_error is not None and broken.parse_error.startswith("line 1")
    assert broken.symbols == []
    assert "node_modules/leftpad/index.js" not in index.files  # vendored folders are skipped


def test_real_project_from_shared_data(shared_data: Path) -> None:
    """pycobertura's dummy project: tests import the package inside test functions."""
    root = shared_data / "ci_reports" / "coverage" / "pycobertura" / "dummy.source1"
    index = build_index(root)
    assert index.deps["test_dummy.py"] == ["dummy/dummy.py", "dummy/dummy2.py"]
    assert {s.name for s in index.files["dummy/dummy4.py"].symbols} == {"barbaz", "foobarbaz"}


def test_symlinked_files_are_not_indexed(py_repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.py"
    secret.write_text("TOKEN = 1\n")
    (py_repo / "src/shop/linked.py").symlink_to(secret)
    assert "src/shop/linked.py" not in build_index(py_repo).files
