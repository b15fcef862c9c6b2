"""Generality of repository environments: jest on yarn, mocha on pnpm on the Node the repo asks
for (provisioned from the npm registry), poetry and hatch projects, each end to end through the
real package manager and runner with small fixtures (lockfiles made by the real tools)."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from agentops_pipelines.qa.envs.node_version import satisfies, wanted_node
from agentops_pipelines.qa.repo_run import run_repo_tests


@pytest.fixture(scope="module")
def envs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("envs")


@pytest.fixture(autouse=True)
def _env_home(envs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOPS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AGENTOPS_ENVS", str(envs))


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _lock(root: Path, command: list[str]) -> None:
    """The lockfile a user's repository would hold, made by the real tool; nothing else kept."""
    subprocess.run(command, cwd=root, check=True, capture_output=True, timeout=600)
    shutil.rmtree(root / "node_modules", ignore_errors=True)


def _statuses(run) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r.name.split(" ")[-1]: r.status for r in run.records}


@pytest.mark.parametrize(
    ("spec", "version", "ok"),
    [
        ("24", "v24.22.3", True), ("24", "v20.20.2", False), ("v20.11.0", "20.11.0", True),
        (">=22.12", "v22.12.0", True), (">=22.12", "v22.11.9", False), ("^20.11", "20.19.1", True),
        ("^20.11", "21.0.0", False), ("~20.11", "20.12.0", False), (">=18 <21", "20.1.0", True),
        (">=18 <21", "22.0.0", False), ("18 || 22.x", "22.3.1", True),
        ("18 || 22.x", "20.0.0", False),
    ],
)  # fmt: skip
def test_node_ranges(spec: str, version: str, ok: bool) -> None:
    assert satisfies(version, spec) is ok


def test_wanted_node_sources_in_order(tmp_path: Path) -> None:
    assert wanted_node(tmp_path) is None
    _write(tmp_path, {".github/workflows/ci.yml": "steps:\n  - uses: actions/setup-node@v4\n"
                      "    with:\n      node-version: '24'\n"})  # fmt: skip
    assert wanted_node(tmp_path).model_dump() == {  # type: ignore[union-attr]
        "spec": "24",
        "source": ".github/workflows/ci.yml",
    }
    (tmp_path / "package.json").write_text(json.dumps({"engines": {"node": ">=22"}}))
    assert wanted_node(tmp_path).spec == ">=22"  # type: ignore[union-attr]
    (tmp_path / "package.json").write_text(json.dumps({"volta": {"node": "22.12.0"}}))
    assert wanted_node(tmp_path).source == "package.json volta.node"  # type: ignore[union-attr]
    (tmp_path / ".nvmrc").write_text("v23.1.0\n")
    assert wanted_node(tmp_path).spec == "v23.1.0"  # type: ignore[union-attr]
    assert wanted_node(tmp_path, "26").source == ".agentops.yml environment.node"  # type: ignore[union-attr]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_jest_on_yarn(tmp_path: Path) -> None:
    repo = _write(tmp_path / "repo", {
        "package.json": json.dumps({
            "name": "jestfx", "version": "1.0.0", "private": True,
            "scripts": {"test": "jest"}, "devDependencies": {"jest": "29.7.0"},
        }),
        "src/sum.js": "exports.sum = (a, b) => a + b;\n",
        "src/sum.test.js": """
            const { sum } = require("./sum");
            describe("sum", () => {
              // Validates: Requirements 1.1
              test("adds_right", () => { expect(sum(1, 2)).toBe(3); });
              test("adds_wrong", () => { expect(sum(1, 2)).toBe(4); });
            });
        """,
    })  # fmt: skip
    _lock(repo, ["npm", "exec", "--yes", "yarn@1", "--", "install", "--ignore-scripts",
                 "--non-interactive"])  # fmt: skip
    assert (repo / "yarn.lock").is_file()
    run = run_repo_tests(repo, tmp_path / "ev", reuse_verdicts=False)
    assert run.environments[0]["ready"], run.env_problems
    assert _statuses(run) == {"adds_right": "passed", "adds_wrong": "failed"}, [
        (x.argv, x.stdout_tail[-600:], x.stderr_tail[:1500]) for x in run.runs
    ]
    assert all(r.file == "src/sum.test.js" for r in run.records)
    assert "jest-junit" in (run.records[0].command or "")
    assert not (repo / "node_modules").exists()


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_mocha_on_pnpm_runs_on_the_node_the_repo_asks_for(tmp_path: Path) -> None:
    repo = _write(tmp_path / "repo", {
        ".nvmrc": "24\n",
        "package.json": json.dumps({
            "name": "mochafx", "version": "1.0.0", "private": True,
            "scripts": {"test": "mocha"}, "devDependencies": {"mocha": "10.8.2"},
        }),
        "test/runtime.test.js": """
            const assert = require("assert");
            describe("runtime", () => {
              it("on_node_24", () => {
                assert.strictEqual(process.versions.node.split(".")[0], "24");
              });
              it("honest_failure", () => { assert.strictEqual(1 + 1, 3); });
            });
        """,
    })  # fmt: skip
    _lock(repo, ["npm", "exec", "--yes", "pnpm@9", "--", "install", "--lockfile-only",
                 "--ignore-scripts"])  # fmt: skip
    assert (repo / "pnpm-lock.yaml").is_file()
    run = run_repo_tests(repo, tmp_path / "ev", reuse_verdicts=False)
    env = run.environments[0]
    assert env["ready"] and env["interpreter"].startswith("v24."), run.env_problems
    assert any(".nvmrc" in note for note in env["notes"])
    assert _statuses(run) == {"on_node_24": "passed", "honest_failure": "failed"}, run.problems
    assert all(r.file == "test/runtime.test.js" for r in run.records)
    assert not (repo / "node_modules").exists()


POETRY = """
[tool.poetry]
name = "hyph"
version = "0.1.0"
description = ""
authors = ["x <x@example.com>"]
[tool.poetry.dependencies]
python = ">=3.9"
[tool.poetry.group.test.dependencies]
pyphen = "*"
"""
HATCH = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
[project]
name = "hyph"
version = "0.1.0"
requires-python = ">=3.9"
[tool.hatch.envs.default]
dependencies = ["pyphen"]
"""


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("manifest", [POETRY, HATCH], ids=["poetry", "hatch"])
def test_poetry_and_hatch_test_dependencies(tmp_path: Path, manifest: str) -> None:
    """The test tools live in poetry's test group / hatch's default env, not in dependencies:
    without them the import fails; with them the verdicts are the code's."""
    repo = _write(tmp_path / "repo", {
        "pyproject.toml": manifest,
        "hyph/__init__.py": "def words(text):\n    return text.split()\n",
        "tests/test_hyph.py": """
            import pyphen
            from hyph import words

            def test_words():
                assert words("a b") == ["a", "b"] and pyphen.LANGUAGES

            def test_words_wrong():
                assert words("a b") == ["a b"]
        """,
    })  # fmt: skip
    run = run_repo_tests(repo, tmp_path / "ev", reuse_verdicts=False)
    assert _statuses(run) == {"test_words": "passed", "test_words_wrong": "failed"}, (
        run.env_problems, run.problems,
    )  # fmt: skip
