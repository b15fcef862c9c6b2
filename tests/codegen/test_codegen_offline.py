"""The offline path: failing, marked, ruff-clean acceptance-test skeletons per criterion."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

from agentops_pipelines.codegen import generate_code
from tests.support.codegen_support import REPO, run_pytest
from tests.support.codeintel_fixtures import PY_REPO, write_repo


def _markers(tree: ast.Module) -> dict[str, list[str]]:
    """test name -> requirement IDs of its @pytest.mark.requirement(...) decorators."""
    found: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = [
                d.args[0].value  # type: ignore[attr-defined]
                for d in node.decorator_list
                if isinstance(d, ast.Call) and ast.unparse(d.func) == "pytest.mark.requirement"
            ]
    return found


def test_one_skeleton_per_criterion_marked_with_its_requirement(
    spec, graph, offline_router, tmp_path
):
    out = generate_code(spec, graph, offline_router, tmp_path / "art", run_id="r1")
    ws = Path(out.workspace)
    assert out.files_written == [
        "tests/agentops/conftest.py",
        "tests/agentops/test_fr_001.py",
        "tests/agentops/test_fr_006.py",
    ]
    fr1 = ast.parse((ws / "tests/agentops/test_fr_001.py").read_text())
    assert _markers(fr1) == {
        "test_fr_001_ac_1": ["FR-001"],
        "test_fr_001_ac_2": ["FR-001"],
    }
    doc = ast.get_docstring(
        next(n for n in fr1.body if isinstance(n, ast.FunctionDef) and n.name == "test_fr_001_ac_2")
    )
    assert doc is not None
    assert doc.splitlines()[0] == "FR-001.AC-2: Listed"
    assert "Given an issued invoice\nWhen the admin opens the Billing tab\nThen the invoice" in doc
    fr6 = ast.parse((ws / "tests/agentops/test_fr_006.py").read_text())
    assert _markers(fr6) == {"test_fr_006": ["FR-006"]}  # no criterion: the statement itself
    assert "Numbers MUST be sequential" in (ast.get_docstring(fr6) or "")


def test_skeletons_are_ruff_clean_under_the_project_rules(spec, graph, offline_router, tmp_path):
    out = generate_code(spec, graph, offline_router, tmp_path / "art")
    files = [str(Path(out.workspace) / f) for f in out.files_written]
    config = str(REPO / "pyproject.toml")
    lint = subprocess.run(
        [str(REPO / ".venv/bin/ruff"), "check", "--no-cache", "--config", config, *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run(
        [str(REPO / ".venv/bin/ruff"), "format", "--check", "--config", config, *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert fmt.returncode == 0, fmt.stdout


def test_skeletons_fail_when_run_naming_their_criterion(spec, graph, offline_router, tmp_path):
    out = generate_code(spec, graph, offline_router, tmp_path / "art")
    done = run_pytest(Path(out.workspace), "tests/agentops", "-rf")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "3 failed" in done.stdout
    assert "FR-001.AC-2 is not implemented yet: Given an issued invoice" in done.stdout
    assert "PytestUnknownMarkWarning" not in done.stdout + done.stderr


def test_generate_code_tasks_are_skipped_offline_and_test_tasks_kept(
    spec, graph, offline_router, tmp_path
):
    out = generate_code(spec, graph, offline_router, tmp_path / "art")
    by_type = {(o.task_type, o.status) for o in out.outcomes}
    assert by_type == {("generate_code", "skipped"), ("test", "kept")}
    skipped = [o for o in out.outcomes if o.status == "skipped"]
    assert all("no LLM provider is enabled" in o.reason for o in skipped)
    assert {o.source for o in out.outcomes if o.status == "kept"} == {"offline_skeleton"}
    assert (out.provider, out.model) == ("offline", "offline-template-v1")
    assert out.usage.llm_calls == len(out.outcomes) and out.usage.cost_usd == 0.0
    assert out.counts() == {"kept": 2, "rejected": 0, "skipped": len(out.outcomes) - 2}


def test_the_linked_repo_is_copied_and_never_touched(spec, graph, offline_router, tmp_path):
    repo = write_repo(tmp_path / "linked", PY_REPO)
    before = sorted(p.relative_to(repo) for p in repo.rglob("*"))
    out = generate_code(spec, graph, offline_router, tmp_path / "art", repo=repo)
    ws = Path(out.workspace)
    assert ws.is_relative_to((tmp_path / "art" / "workspaces").resolve())
    assert (ws / "src/shop/invoices.py").read_text() == PY_REPO["src/shop/invoices.py"]
    assert not (ws / "node_modules").exists()  # vendored folders are not copied
    assert sorted(p.relative_to(repo) for p in repo.rglob("*")) == before
    assert any(o.context_files for o in out.outcomes)  # the copied code fed the prompts
    again = generate_code(spec, graph, offline_router, tmp_path / "art", repo=repo)
    assert again.files_written == out.files_written  # a rerun starts from a fresh copy
