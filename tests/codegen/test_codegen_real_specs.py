"""Skeletons from real specs (OpenSpec scenarios, Kiro EARS criteria incl. Chinese text) are
valid, ruff-clean, formatted Python that fails when run."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

from agentops_pipelines.codegen.skeleton import CONFTEST, render_skeleton, skeleton_path
from agentops_pipelines.specs.models import SpecDocument
from agentops_pipelines.specs.parsing import parse_spec
from tests.support.codegen_support import REPO, run_pytest


def _specs(shared_data: Path) -> list[SpecDocument]:
    """All OpenSpec specs and every third Kiro spec (the whole set is slow on a shared CI box)."""
    base = shared_data / "specs"
    files = sorted(base.glob("openspec/specs/**/*.md"))
    files += sorted(base.glob("kiro-spec-engine-sce/**/requirements.md"))[::3]
    return [parse_spec(f.relative_to(base).as_posix(), f.read_text("utf-8")) for f in files]


def _write(folder: Path, spec: SpecDocument) -> int:
    folder.mkdir(parents=True)
    (folder / "conftest.py").write_text(CONFTEST)
    for req in spec.requirements:
        text = render_skeleton(spec.spec_id, req)
        tree = ast.parse(text)
        names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert len(names) == len(set(names)) == max(1, len(req.acceptance_criteria))
        (folder / Path(skeleton_path(req.id)).name).write_text(text, encoding="utf-8")
    return sum(max(1, len(r.acceptance_criteria)) for r in spec.requirements)


def test_real_spec_skeletons_are_ruff_clean_and_formatted(shared_data: Path, tmp_path: Path):
    specs = [s for s in _specs(shared_data) if s.requirements]
    assert len(specs) > 80
    tests = sum(_write(tmp_path / f"s{i}", spec) for i, spec in enumerate(specs))
    assert tests > 1000
    ruff, config = str(REPO / ".venv/bin/ruff"), str(REPO / "pyproject.toml")
    lint = subprocess.run(
        [ruff, "check", "--no-cache", "--config", config, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout[-3000:]
    fmt = subprocess.run(
        [ruff, "format", "--check", "--config", config, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert fmt.returncode == 0, fmt.stdout[-3000:]


def test_a_chinese_kiro_spec_gives_tests_that_all_fail(shared_data: Path, tmp_path: Path):
    kiro = shared_data / "specs" / "kiro-spec-engine-sce"
    path = next(
        p for p in sorted(kiro.glob("**/requirements.md")) if "屏幕" in p.read_text("utf-8")
    )
    spec = parse_spec("kiro/requirements.md", path.read_text("utf-8"))
    expected = _write(tmp_path / "ws" / "tests" / "agentops", spec)
    done = run_pytest(tmp_path / "ws", "tests/agentops")
    assert done.returncode == 1
    assert f"{expected} failed" in done.stdout.splitlines()[-1]
