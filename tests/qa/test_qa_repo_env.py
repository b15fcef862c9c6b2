"""Repository environments: settings, interpreter choice, a real uv-built run with environment
problems named, verdict reuse, and verdicts a conftest tries to forge (issue 15 and 22)."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

from agentops_pipelines.qa.envs.interpreters import pick_python
from agentops_pipelines.qa.envs.pyproject_deps import _poetry_constraint, read_project
from agentops_pipelines.qa.repo_run import run_repo_tests
from agentops_pipelines.repos.envsettings import RepoEnvSettingsError, load_env_settings

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "repos"


@pytest.fixture(scope="module")
def envs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("envs")


@pytest.fixture(autouse=True)
def _env_home(envs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One environment cache for the module (builds are the slow part), verdicts per test."""
    monkeypatch.setenv("AGENTOPS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AGENTOPS_ENVS", str(envs))


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


PYPROJECT = """
[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.8"
dependencies = []
[project.optional-dependencies]
test = ["iniconfig"]
[tool.pytest.ini_options]
testpaths = ["tests"]
"""


SERVICES = "environment:\n  services:\n    - {name: redis, tests: ['tests/test_redis*.py']}\n"


def test_settings_file_is_validated(tmp_path: Path) -> None:
    _write(tmp_path, {".agentops.yml": "environment:\n  test: [pytest, -q]\n"})
    with pytest.raises(RepoEnvSettingsError, match=r"\.agentops\.yml.*\{junit\}"):
        load_env_settings(tmp_path)
    _write(tmp_path, {".agentops.yml": "environment:\n  env: {GITHUB_TOKEN: x}\n"})
    with pytest.raises(RepoEnvSettingsError, match="looks like a secret"):
        load_env_settings(tmp_path)
    _write(tmp_path, {".agentops.yml": "environment: [\n"})
    with pytest.raises(RepoEnvSettingsError, match="cannot read it as YAML"):
        load_env_settings(tmp_path)
    _write(tmp_path, {".agentops.yml": "environment:\n  timeouts: {test: 30}\n"})
    assert load_env_settings(tmp_path).timeouts.test == 30


def test_missing_interpreter_is_named_plainly() -> None:
    _path, version, problem = pick_python(">=3.99")
    assert problem == f"needs Python >= 3.99, found {version.major}.{version.minor}"
    assert pick_python(">=3.8")[2] is None


def test_manifests_are_read_without_building(tmp_path: Path) -> None:
    _write(tmp_path, {"pyproject.toml": PYPROJECT + '[dependency-groups]\ndev = ["pytest-mock"]\n'})
    project = read_project(tmp_path)
    assert project.requires_python == ">=3.8"
    assert project.requirements == ["iniconfig", "pytest-mock"]
    assert _poetry_constraint("^1.2.3") == ">=1.2.3,<2"
    assert _poetry_constraint("^0.4") == ">=0.4,<0.5"
    assert _poetry_constraint("~2.1") == ">=2.1,<2.2"


def test_repo_suite_runs_in_its_own_environment(tmp_path: Path) -> None:
    repo = _write(tmp_path / "repo", {
        "pyproject.toml": PYPROJECT,
        ".agentops.yml": SERVICES,
        "demo/__init__.py": "def add(a, b):\n    return a + b\n",
        "tests/test_core.py": """
            import iniconfig  # a test extra: installed from pyproject
            from demo import add
            def test_add():
                assert add(1, 2) == 3
            def test_add_wrong():
                assert add(1, 2) == 4
        """,
        "tests/test_missing.py": "import not_installed_pkg_xyz\ndef test_x():\n    pass\n",
        "tests/test_db.py": """
            import socket
            def test_db():
                socket.create_connection(("127.0.0.1", 5432), timeout=1)
        """,
        "tests/test_redis_cache.py": "def test_cache():\n    assert False\n",
        "tests/test_newer.py": 'def test_new():\n    assert f"{"a"}" == "a"  # 3.12 f-string\n',
    })  # fmt: skip
    first = run_repo_tests(repo, tmp_path / "ev1")
    statuses = {r.name: r.status for r in first.records}
    assert statuses == {"test_add": "passed", "test_add_wrong": "failed"} | (
        {"test_new": "passed"} if sys.version_info >= (3, 12) else {}
    ), first.model_dump_json(indent=1)[:3000]
    kinds = {p.kind: p for p in first.env_problems}
    assert "not_installed_pkg_xyz" in kinds["import"].message
    assert {"tests/test_db.py", "tests/test_redis_cache.py"} <= {
        t for p in first.env_problems if p.kind == "service" for t in p.tests
    }
    if sys.version_info < (3, 12):
        assert "needs Python >= 3.12, found 3.11" in kinds["interpreter"].message
    record = next(r for r in first.records if r.name == "test_add_wrong")
    assert record.command and "--junitxml=/proc/self/fd/3" in record.command
    assert record.env_digest and "assert 3 == 4" in record.log_excerpt
    assert not (repo / ".venv").exists() and not list(repo.rglob("*.egg-info"))

    second = run_repo_tests(repo, tmp_path / "ev2")
    assert second.runs == [] and all(r.reused for r in second.records)
    assert second.environments[0]["reused"] is True
    assert {r.name: r.status for r in second.records} == statuses

    (repo / "tests" / "test_core.py").write_text(
        "from demo import add\ndef test_add():\n    assert add(2, 2) == 4\n"
    )
    third = run_repo_tests(repo, tmp_path / "ev3")
    assert len(third.runs) == 1 and third.runs[0].argv[-1] == "tests/test_core.py"
    assert {r.name: r.status for r in third.records}["test_add"] == "passed"


@pytest.mark.parametrize(
    "conftest",
    [
        # Rewrites the report after pytest wrote it (the issue's attack), at exit.
        """
        import atexit, glob
        FORGED = ('<testsuite name="x" tests="1" failures="0"><testcase classname="tests.test_a" '
                  'name="test_a" file="tests/test_a.py"/></testsuite>')
        def _forge():
            for path in ["/proc/self/fd/3", *glob.glob("**/*.xml", recursive=True)]:
                try:
                    open(path, "w").write(FORGED)
                except OSError:
                    pass
        atexit.register(_forge)
        """,
        # Leaves the report alone but turns the exit status into success.
        """
        import pytest
        @pytest.hookimpl(trylast=True)
        def pytest_sessionfinish(session, exitstatus):
            session.exitstatus = 0
        """,
    ],
    ids=["rewrites-report", "forces-exit-0"],
)
def test_forged_verdicts_are_not_believed(tmp_path: Path, conftest: str) -> None:
    repo = _write(tmp_path / "repo", {
        "pyproject.toml": PYPROJECT,
        "tests/conftest.py": conftest,
        "tests/test_a.py": "def test_a():\n    assert 1 == 2\n",
    })  # fmt: skip
    run = run_repo_tests(repo, tmp_path / "ev")
    assert not [r for r in run.records if r.status == "passed"], run.records
    assert any("not believed" in p for p in run.problems), run.problems


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_node_monorepo_vitest_runs_from_the_cached_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The spec-kit Next.js monorepo: npm ci into the cache (minutes, once per lockfile), then
    one vitest file in the sandbox with the JUnit reporter on fd 3."""
    repo = SHARED / "speckit-community-mgmt"
    if not repo.is_dir():
        pytest.skip("../shared/data/repos/speckit-community-mgmt is not there")
    # The project's own cache (.agentops/envs, as `make` uses): the install is done once.
    cache = Path(__file__).resolve().parents[2] / ".agentops" / "envs"
    monkeypatch.setenv("AGENTOPS_ENVS", os.environ.get("AGENTOPS_TEST_ENVS", str(cache)))
    from agentops_pipelines.repos.envsettings import RepoEnvSettings

    settings = RepoEnvSettings(test_paths=["packages"])
    run = run_repo_tests(repo, tmp_path / "ev", settings=settings, reuse_verdicts=False)
    assert run.environments and run.environments[0]["kind"] == "node"
    assert sum(r.status == "passed" for r in run.records) >= 50, run.problems
    assert all(r.file and r.file.startswith("packages/") for r in run.records)
    assert all(r.command and "--outputFile.junit=/proc/self/fd/3" in r.command for r in run.records)
    node = run.environments[0]["interpreter"] or ""
    if node.startswith("v20"):  # build.ts imports fs/promises' glob (Node >= 22)
        assert any("needs a newer Node" in p.message for p in run.env_problems)
    assert not (repo / "node_modules").exists()
