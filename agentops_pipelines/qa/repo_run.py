"""Run a repository's own test suites in its own environments, sandboxed, with evidence.

For each environment (Python venv, Node install) and each runner plan: reuse earlier verdicts
when nothing they depend on changed, run the rest in the sandbox with the report on fd 3,
cross-check the report against the runner's exit status and printed counts, and move results
caused by the environment (an old Python, a missing module or service) out of the verdicts into
named environment problems.
"""

from __future__ import annotations

import fnmatch
import shlex
from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.qa import reuse
from agentops_pipelines.qa.discover import test_files
from agentops_pipelines.qa.envs import build_environments
from agentops_pipelines.qa.envs.models import EnvProblem, RepoEnvironment
from agentops_pipelines.qa.envs.testpaths import pytest_testpaths
from agentops_pipelines.qa.junit import JUnitFormatError, parse_junit
from agentops_pipelines.qa.results import RunLog, TestRecord, records_from_report
from agentops_pipelines.qa.runners import RunPlan, node_plans, pytest_plan
from agentops_pipelines.qa.sandbox import SandboxLimits, run_sandboxed
from agentops_pipelines.qa.verdicts import disbelief, environment_problem, not_believed
from agentops_pipelines.repos.envsettings import RepoEnvSettings, load_env_settings

_JS = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")
EXCERPT = 1200
BATCH_FILES = 12
NODE_BATCH_FILES = 10


class RepoRun(BaseModel):
    records: list[TestRecord] = Field(default_factory=list)
    runs: list[RunLog] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
    env_problems: list[EnvProblem] = Field(default_factory=list)
    environments: list[dict] = Field(default_factory=list)


def run_repo_tests(
    repo: Path,
    evidence_dir: Path,
    *,
    settings: RepoEnvSettings | None = None,
    limits: SandboxLimits | None = None,
    reuse_verdicts: bool = True,
) -> RepoRun:
    repo = repo.resolve()
    settings = settings or load_env_settings(repo)
    evidence_dir.mkdir(parents=True, exist_ok=True)
    out = RepoRun()
    for env in build_environments(repo, settings):
        out.environments.append(_summary(env))
        out.env_problems += [p for p in env.problems if p.kind != "install"]
        files = _files_of(repo, env, settings)
        if not env.ready:
            for problem in env.problems:
                out.env_problems.append(problem.model_copy(update={"tests": files}))
            continue
        skipped = _service_files(files, settings)
        for name, tests in skipped.items():
            out.env_problems.append(EnvProblem(
                kind="service", tests=tests,
                message=f"needs service {name!r}, which the sandbox does not provide "
                f"(no network): {len(tests)} test files not run",
            ))  # fmt: skip
        runnable = [f for f in files if not any(f in t for t in skipped.values())]
        ignored = sorted({f for t in skipped.values() for f in t})
        if env.kind == "python":
            plans = [pytest_plan(env, env.test_paths, settings.test)]
            plans[0].argv += [f"--ignore={f}" for f in ignored]
        else:
            plans = node_plans(repo, env, settings.test)
            for plan in plans:
                plan.argv += [f"--exclude={f}" for f in ignored if plan.runner == "vitest"]
            if not plans:
                out.env_problems.append(EnvProblem(
                    kind="runner", tests=runnable,
                    message="no vitest, jest or mocha found in package.json or node_modules; "
                    "set environment.test in .agentops.yml",
                ))  # fmt: skip
        for index, plan in enumerate(plans):
            _run_plan(repo, env, plan, index, runnable, evidence_dir, settings, limits,
                      reuse_verdicts, out)  # fmt: skip
    return out


def _summary(env: RepoEnvironment) -> dict:
    return {
        "kind": env.kind, "digest": env.digest[:16], "ready": env.ready, "reused": env.reused,
        "build_seconds": env.build_seconds, "interpreter": env.interpreter_version,
        "path": env.path, "notes": env.notes,
    }  # fmt: skip


def _files_of(repo: Path, env: RepoEnvironment, settings: RepoEnvSettings) -> list[str]:
    suffixes = (".py",) if env.kind == "python" else _JS
    files = [str(p.relative_to(repo)) for p in test_files(repo) if p.suffix in suffixes]
    paths = settings.test_paths or (pytest_testpaths(repo) if env.kind == "python" else [])
    if paths:
        files = [f for f in files if any(f == t or f.startswith(t.strip("/") + "/") for t in paths)]
    return files


def _service_files(files: list[str], settings: RepoEnvSettings) -> dict[str, list[str]]:
    return {
        service.name: [f for f in files if any(fnmatch.fnmatch(f, g) for g in service.tests)]
        for service in settings.services
        if service.tests
    }


def _limits(
    env: RepoEnvironment, settings: RepoEnvSettings, given: SandboxLimits | None
) -> SandboxLimits:
    """V8 reserves far more address space than it uses: Node gets a larger RLIMIT_AS and a
    bounded heap (--max-old-space-size) instead; its worker threads count as processes."""
    if given is not None:
        return given
    wall = settings.timeouts.test
    if env.kind == "node":
        return SandboxLimits(cpu_seconds=int(wall), wall_seconds=wall, memory_bytes=512 * 1024**3,
                             max_processes=512, max_file_bytes=256 * 1024**2)  # fmt: skip
    return SandboxLimits(cpu_seconds=int(wall), wall_seconds=wall, memory_bytes=4 * 1024**3,
                         max_processes=128, max_file_bytes=256 * 1024**2)  # fmt: skip


def _run_plan(
    repo: Path,
    env: RepoEnvironment,
    plan: RunPlan,
    index: int,
    files: list[str],
    evidence_dir: Path,
    settings: RepoEnvSettings,
    limits: SandboxLimits | None,
    reuse_verdicts: bool,
    out: RepoRun,
) -> None:
    scope = [f for f in files if plan.cwd == "." or f.startswith(plan.cwd.rstrip("/") + "/")]
    command = shlex.join(plan.argv)
    label = f"{env.kind}:{plan.cwd}:{plan.runner}"
    now = reuse.inputs(repo, [repo / f for f in scope], env.digest, command)
    previous = reuse.load(repo, label) if reuse_verdicts else None
    kept, to_run = reuse.plan_reuse(previous, now)
    before = previous.inputs.tests if previous else {}
    kept_problems = [
        p
        for p in (previous.env_problems if previous and to_run is not None else [])
        if all(t in now.tests and before.get(t) == now.tests[t] for t in p.tests)
    ]
    records: list[TestRecord] = list(kept)
    problems: list[EnvProblem] = list(kept_problems)
    done = {r.file for r in kept if r.file} | {t for p in kept_problems for t in p.tests}
    if previous and to_run is not None:
        done |= {f for f in previous.ran if f in now.tests and f not in (to_run or [])}
    for number, batch in enumerate(
        _batches(env, scope if to_run is None else to_run, to_run is None)
    ):
        argv = plan.argv + [_relative(f, plan.cwd) for f in batch]
        name = f"{env.kind}-{index}-{plan.runner}-{number}"
        ran, new_problems = _execute(
            repo, env, plan, argv, name, evidence_dir, settings, limits, out
        )
        if ran is None:
            new_problems = [EnvProblem(
                kind="timeout", tests=batch or scope,
                message=f"{plan.runner}: these tests did not finish within the "
                f"{settings.timeouts.test:.0f} s limit (environment.timeouts.test); no verdict",
            )]  # fmt: skip
        if ran is not None and not isinstance(ran, _NoReport):
            done |= set(batch or scope)
        records += ran or []
        problems += new_problems
    out.records += records
    out.env_problems += problems
    stored = reuse.StoredRun(inputs=now, records=records, env_problems=problems, ran=sorted(done))
    reuse.save(repo, label, stored)


def _batches(env: RepoEnvironment, files: list[str], everything: bool) -> list[list[str]]:
    """Test files in batches, each its own sandboxed run with its own time limit, so a suite
    that overruns loses one batch, not every verdict. Node batches are larger: a runner's
    start-up (config bundling, workers) is the costly part there."""
    if not files:
        return [] if not everything or env.kind == "python" else [[]]
    size = BATCH_FILES if env.kind == "python" else NODE_BATCH_FILES
    return [files[i : i + size] for i in range(0, len(files), size)]


class _NoReport(list):  # type: ignore[type-arg]
    """An empty result that must not be remembered as finished (no report, or a bad one)."""


def _relative(file: str, cwd: str) -> str:
    return file if cwd == "." else file[len(cwd.rstrip("/")) + 1 :]


def _execute(
    repo: Path,
    env: RepoEnvironment,
    plan: RunPlan,
    argv: list[str],
    name: str,
    evidence_dir: Path,
    settings: RepoEnvSettings,
    limits: SandboxLimits | None,
    out: RepoRun,
) -> tuple[list[TestRecord] | None, list[EnvProblem]]:
    """Records and environment problems of one sandboxed run; None when it hit the clock."""
    result = run_sandboxed(
        repo,
        argv,
        _limits(env, settings, limits),
        junit_xml=f"{name}-junit.xml",
        evidence_dir=evidence_dir,
        pythonpath=env.pythonpath if env.kind == "python" else None,
        env={**settings.env, **plan.env},
        binds=[(Path(s), t) for s, t in env.binds + plan.binds],
        report_pipe=True,
        path=env.path_entries or None,
        cwd=None if plan.cwd == "." else plan.cwd,
    )
    log = evidence_dir / f"{name}.log"
    log.write_text(f"$ {shlex.join(argv)}\n--- stdout ---\n{result.stdout_tail}\n--- stderr ---\n"
                   f"{result.stderr_tail}\n", encoding="utf-8")  # fmt: skip
    out.runs.append(RunLog(
        origin="repo", workspace=f"{repo}:{plan.cwd}", argv=argv, exit_code=result.exit_code,
        killed_by=result.killed_by, timed_out=result.timed_out,
        wall_seconds=round(result.wall_seconds, 3), stdout_tail=result.stdout_tail[-2000:],
        stderr_tail=result.stderr_tail[-2000:],
        junit=str(result.junit_xml_path) if result.junit_xml_path else None, log=str(log),
    ))  # fmt: skip
    if result.timed_out:
        return None, []
    if result.junit_xml_path is None:
        why = f"killed by the {result.killed_by} limit" if result.killed_by else "no report"
        out.problems.append(
            f"{plan.runner} in {plan.cwd}: the runner wrote no JUnit report ({why}); see {log}"
        )
        return [], []
    try:
        report = parse_junit(result.junit_xml_path, f"{name}:{result.junit_xml_path.name}")
    except JUnitFormatError as err:
        out.problems.append(f"{err}: the report is not believed (the tests may have written to it)")
        return _NoReport(), []
    records = records_from_report(report, "repo", str(result.junit_xml_path))
    command = shlex.join(argv)
    for record in records:
        record.file = _repo_file(repo, plan.cwd, record)
        record.command = command
        record.env_digest = env.digest[:16]
        record.log_excerpt = (record.details or record.message or "")[-EXCERPT:]
    reason = disbelief(report, result.exit_code, result.stdout_tail, plan.runner)
    if reason:
        not_believed(records, reason)
        out.problems.append(f"{plan.runner} in {plan.cwd}: {reason}; its verdicts are not believed")
        return records, []
    kept: list[TestRecord] = []
    problems: dict[str, EnvProblem] = {}
    for record in records:
        problem = environment_problem(record, env.interpreter_version)
        if problem is None:
            kept.append(record)
            continue
        key = problem.message
        problems.setdefault(key, problem.model_copy(update={"tests": []})).tests.append(
            record.file or record.test_id
        )
    return _skipped_with_their_file(kept, problems), list(problems.values())


def _skipped_with_their_file(
    kept: list[TestRecord], problems: dict[str, EnvProblem]
) -> list[TestRecord]:
    """Tests skipped because their file failed for an environment reason (vitest skips a
    suite whose setup failed) belong to that problem, not to "run without a verdict"."""
    owner = {t: p for p in problems.values() for t in p.tests}
    out = []
    for record in kept:
        problem = owner.get(record.file or "")
        if record.status == "skipped" and problem is not None:
            problem.tests.append(record.test_id)
            continue
        out.append(record)
    return out


def _repo_file(repo: Path, cwd: str, record: TestRecord) -> str | None:
    """The test's file relative to the repo: pytest writes `file`, vitest the classname, mocha
    the absolute path inside the sandbox's copy (its tail is the repo-relative path)."""
    for candidate in (record.file, record.classname):
        if not candidate:
            continue
        if Path(candidate).is_absolute():
            parts = Path(candidate).parts
            tails = (Path(*parts[i:]) for i in range(1, len(parts)))
            found = next((t for t in tails if (repo / t).is_file()), None)
            if found is not None:
                return str(found)
            continue
        for base in (repo / cwd, repo):
            path = base / candidate
            if path.is_file():
                return str(path.resolve().relative_to(repo))
    return record.file
