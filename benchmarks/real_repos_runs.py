"""Test runs on the real repositories under ../shared/data/repos: verdicts and wall times.

For each repository: build (or reuse) its environments, run every suite sandboxed with verdicts
from scratch (first run), then run again unchanged (second run: environment and verdicts
reused). Prints the tests run, those with a pass/fail verdict, the tests that AgentOps linked to
a requirement and how many of those got a verdict, every environment problem by name, and both
wall times. Environments are cached under $AGENTOPS_HOME/envs (the npm install of the Next.js
monorepo takes minutes the first time).

    .venv/bin/python benchmarks/real_repos_runs.py [--paths DIR,DIR] [REPO ...]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from agentops_pipelines.qa.score_models import QAScores
from agentops_pipelines.qa.whole_repo import VERDICTS, RepoReport, evaluate_repo
from agentops_pipelines.repos.envsettings import load_env_settings

ROOT = Path(__file__).resolve().parents[1]
REPOS = [
    ROOT.parent / "shared" / "data" / "repos" / "kiro-handbook-generator",
    ROOT.parent / "shared" / "data" / "repos" / "speckit-community-mgmt",
]


def _linked(scores: list) -> tuple[int, int]:
    """(tests linked to some requirement, of those the ones with a pass/fail verdict)."""
    results: dict[str, str] = {}
    for spec in scores:
        for req in spec.requirements:
            for test in req.tests:
                results[test.test_id] = test.result
    return len(results), sum(r in VERDICTS for r in results.values())


def measure_runs(repo_path: Path, test_paths: list[str] | None = None) -> dict:
    """Both runs of one repository; `test_paths` limits the suites (default: all of them)."""
    evidence = Path(tempfile.mkdtemp(prefix="agentops-bench-"))
    settings = load_env_settings(repo_path)
    if test_paths:
        settings = settings.model_copy(update={"test_paths": test_paths})
    started = time.monotonic()
    first, first_scores = evaluate_repo(
        repo_path, evidence / "first", reuse_verdicts=False, env_settings=settings
    )
    first_seconds = time.monotonic() - started
    # The second run is a fresh process, as a user's next `agentops qa --repo` would be: no
    # in-memory cache of the first run helps it, only what AgentOps stored (envs, verdicts).
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, __file__, "--second", str(repo_path), str(evidence / "second"),
         json.dumps(test_paths or [])],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    second_seconds = time.monotonic() - started
    second = RepoReport.model_validate_json(done.stdout.splitlines()[-2])
    second_scores = [QAScores.model_validate_json(line) for line in json.loads(
        done.stdout.splitlines()[-1])]  # fmt: skip
    linked, linked_verdict = _linked(second_scores)
    return {
        "repo": repo_path.name,
        "test_paths": test_paths or "all",
        "specs": len(first.specs),
        "tests_run": first.tests_run,
        "tests_with_verdict": first.tests_with_verdict,
        "verdict_share": round(first.tests_with_verdict / first.tests_run, 4)
        if first.tests_run
        else 0.0,
        "tests_linked": linked,
        "linked_with_verdict": linked_verdict,
        "environment_problems": [
            {"kind": p.kind, "message": p.message, "tests": len(p.tests)}
            for p in first.env_problems
        ],
        "run_problems": first.problems,
        "environments": first.environments,
        "first_run_seconds": round(first_seconds, 1),
        "second_run_seconds": round(second_seconds, 1),
        "second_run_share": round(second_seconds / first_seconds, 4) if first_seconds else 0.0,
        "second_run_reused_verdicts": second.tests_reused,
        "completion_first": first.completion_score,
        "completion_second": second.completion_score,
        "completion_per_spec": {s.spec: s.completion_score for s in second.specs},
        "no_verdict_named": sum(len(p.tests) for p in first.env_problems),
    }


def _second(repo: str, evidence: str, paths_json: str) -> None:
    settings = load_env_settings(Path(repo))
    if paths := json.loads(paths_json):
        settings = settings.model_copy(update={"test_paths": paths})
    report, scores = evaluate_repo(Path(repo), Path(evidence), env_settings=settings)
    print(report.model_dump_json())
    print(json.dumps([s.model_dump_json() for s in scores]))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--second"]:
        _second(*argv[1:4])
        return
    paths: list[str] = []
    if "--paths" in argv:  # --paths a,b REPO...: only those test folders (a quicker subset)
        at = argv.index("--paths")
        paths = argv[at + 1].split(",")
        argv = argv[:at] + argv[at + 2 :]
    repos = [Path(a).resolve() for a in argv] or REPOS
    print(f"load average at start: {Path('/proc/loadavg').read_text().strip()}")
    for repo in repos:
        figures = measure_runs(repo, paths or None)
        print(json.dumps(figures, indent=2))
        print(
            f"{figures['repo']}: {figures['tests_run']} tests run, {figures['tests_with_verdict']} "
            f"with a verdict ({figures['verdict_share']:.1%}); linked {figures['tests_linked']}, "
            f"{figures['linked_with_verdict']} with a verdict; first run "
            f"{figures['first_run_seconds']}s, second {figures['second_run_seconds']}s "
            f"({figures['second_run_share']:.1%})"
        )
    print(f"load average at end: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main(sys.argv[1:])
