"""Build a Python project's test environment: a uv venv with its dependencies and test extras.

The install runs on the host with the package registries reachable (the only networked step);
the venv is then mounted read-only into the sandbox, where the tests run with no network.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import uv

from agentops_pipelines.qa.envs import cache
from agentops_pipelines.qa.envs.interpreters import pick_python
from agentops_pipelines.qa.envs.logged import log_tail, run_logged
from agentops_pipelines.qa.envs.models import EnvProblem, RepoEnvironment
from agentops_pipelines.qa.envs.pyproject_deps import (
    PythonProject,
    manifest_files,
    read_project,
)
from agentops_pipelines.repos.envsettings import RepoEnvSettings


def build_python(root: Path, project_dir: str, settings: RepoEnvSettings) -> RepoEnvironment:
    project = read_project(root)
    python, version, problem = pick_python(project.requires_python, settings.python)
    key = cache.digest(root, manifest_files(root), f"{python}|{settings.digest_input()}")
    found = cache.cached("python", key)
    if found is not None and found.ready:
        return found.model_copy(update={"reused": True, "build_seconds": 0.0})
    started = time.monotonic()
    with cache.building("python", key) as (partial, final):
        env = RepoEnvironment(
            kind="python",
            project=project_dir,
            digest=key,
            path=str(partial),
            interpreter=str(partial / "venv" / "bin" / "python"),
            interpreter_version=str(version),
            runner="pytest",
            binds=[(str(final / "venv"), str(final / "venv"))],
            pythonpath=[p for p in (project_dir, f"{project_dir}/src") if (root / p).is_dir()],
            test_paths=settings.test_paths,
            install_log=str(partial / "install.log"),
        )
        if problem:
            env.problems.append(EnvProblem(kind="interpreter", message=problem))
        env.ready = _install(root, project, python, partial, settings, env)
        env.build_seconds = round(time.monotonic() - started, 2)
        env.interpreter = str(final / "venv" / "bin" / "python")
        if not env.ready:
            env.path = str(final)
            env.install_log = _keep_log(partial, final)
            return env
        return cache.publish(partial, final, env)


def _keep_log(partial: Path, final: Path) -> str:
    """A failed build is not cached (the next run retries) but its log is kept beside it."""
    final.parent.mkdir(parents=True, exist_ok=True)
    log = final.parent / f"{final.name}.failed.log"
    shutil.copyfile(partial / "install.log", log)
    return str(log)


def _uv(args: list[str], log: Path, timeout: float, cwd: Path) -> bool:
    env = cache.install_env(UV_PYTHON_DOWNLOADS="never", UV_NO_CONFIG="1", UV_NO_PROGRESS="1")
    command = [uv.find_uv_bin(), *args]
    return run_logged(command, log, cwd=cwd, env=env, timeout=timeout, shown=f"uv {' '.join(args)}")


def _install(
    root: Path,
    project: PythonProject,
    python: str,
    partial: Path,
    settings: RepoEnvSettings,
    env: RepoEnvironment,
) -> bool:
    log = partial / "install.log"
    log.touch()
    timeout = settings.timeouts.setup
    venv = partial / "venv"
    if not _uv(["venv", "--relocatable", "--python", python, str(venv)], log, 120, partial):
        env.problems.append(_failure("could not create the virtualenv", log))
        return False
    target = ["--python", str(venv / "bin" / "python")]
    if settings.setup:
        ok = _run_setup(settings.setup, root, venv, log, timeout)
    else:
        wanted = _requirements_file(root, project, partial, log, timeout)
        ok = wanted is not None and _uv(
            ["pip", "install", *target, "-r", str(wanted)], log, timeout, partial
        )
    if not ok:
        env.problems.append(_failure("installing the test dependencies failed", log))
        return False
    _uv(["pip", "freeze", *target], partial / "freeze.txt", 60, partial)
    env.notes.append(f"dependencies from {project.source}; installed set in freeze.txt")
    return True


def _requirements_file(
    root: Path, project: PythonProject, partial: Path, log: Path, timeout: float
) -> Path | None:
    """One requirements file for uv: the locked set when there is uv.lock, else the declared
    dependencies, test extras/groups and requirements*.txt, plus pytest to run them."""
    lines: list[str] = []
    if project.uv_lock:
        locked = partial / "uv-export.txt"
        args = ["export", "--frozen", "--no-hashes", "--all-extras", "--all-groups",
                "--no-emit-project", "--project", str(root), "-o", str(locked)]  # fmt: skip
        if not _uv(args, log, timeout, partial):
            return None
        lines += _plain_lines(locked, root)
    else:
        lines += project.requirements
        for name in project.requirement_files:
            lines += _plain_lines(root / name, root)
    lines.append("pytest")
    wanted = partial / "requirements.in"
    wanted.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return wanted


def _plain_lines(path: Path, root: Path, depth: int = 0) -> list[str]:
    """Requirement lines without local installs (`-e .`, paths): those would build the user's
    checkout in place; `-r` includes are followed within the repository."""
    out: list[str] = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")) and depth < 5:
            include = (path.parent / line.split(maxsplit=1)[1]).resolve()
            if include.is_file() and root.resolve() in include.parents:
                out += _plain_lines(include, root, depth + 1)
            continue
        if line.startswith(("-e", "--editable", ".", "/", "file:", "-c", "--")):
            continue
        out.append(line)
    return out


def _run_setup(command: list[str], root: Path, venv: Path, log: Path, timeout: float) -> bool:
    """The repository's own setup command, in a throwaway copy so it cannot write the repo."""
    work = venv.parent / "setup-copy"
    shutil.copytree(root, work, ignore=shutil.ignore_patterns(".git", "node_modules", ".venv"))
    env = cache.install_env(
        PATH=f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", VIRTUAL_ENV=str(venv), HOME=str(work)
    )
    try:
        return run_logged(command, log, cwd=work, env=env, timeout=timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _failure(what: str, log: Path) -> EnvProblem:
    return EnvProblem(kind="install", message=f"{what}: ...{log_tail(log).strip()}")
