"""PR review benchmark: real pull_request payloads + seeded PRs over the sample and real repos.

1. Every real `pull_request` payload example (octokit) goes through the sensor's filter: only
   opened / synchronize / reopened on a linked repo ask for a review.
2. Each seeded PR (benchmarks/pr_seeds.py: test removed, behaviour changed without its test,
   assert weakened, requirement code touched without a test, harmless refactor, docs only) is
   committed on a branch of a temporary git copy of its repo, wrapped in the real `opened`
   payload (repo, number and SHAs swapped in) and reviewed end to end (git fetch + archive,
   specs, model-free review, sandboxed base/head runs for the Python sample repos).
3. The repair loop of generated code against a scripted OpenAI-compatible server that answers
   wrong once, then right: rounds and cost (the mechanics; real quality needs a real model).

Last line: `rate=<share of harmful PRs flagged> false_alarms=<harmless PRs flagged> prs=<n>`.
Run: .venv/bin/python benchmarks/pr_review.py  [--no-tests]  [--no-repair]
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pr_seeds import HARMFUL, SEEDS, SOURCES, Seed, Source  # noqa: E402

from agentops_pipelines.gitops.inbox.events import PullRequestEvent  # noqa: E402
from agentops_pipelines.gitops.inbox.reader import InboxRow  # noqa: E402
from agentops_pipelines.gitops.links.repo_links import RepoLink  # noqa: E402
from agentops_pipelines.review.events import review_requests  # noqa: E402
from agentops_pipelines.review.pr_review import ReviewOptions, review_event  # noqa: E402
from agentops_pipelines.specs.source import SpecFolder  # noqa: E402

PAYLOADS = (ROOT / ".." / "shared" / "data" / "github_webhooks" / "payload-examples").resolve()
IDENTITY = ["-c", "user.email=bench@example.test", "-c", "user.name=bench"]
SKIP = {".git", "node_modules", ".venv", "__pycache__", ".pytest_cache", ".next"}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *IDENTITY, *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def real_payloads() -> tuple[dict, str]:
    """The sensor filter over every real pull_request example; returns the `opened` one."""
    files = sorted((PAYLOADS / "pull_request").glob("*.json"))
    rows = []
    for index, path in enumerate(files, start=1):
        payload = json.loads(path.read_text())
        rows.append(
            InboxRow(
                id=index,
                delivery_id=path.name,
                event="pull_request",
                action=payload.get("action"),
                received_at="2026-01-01T00:00:00Z",
                status="pending",
                processed_at=None,
                payload=payload,
            )
        )
    repos = {r.payload["repository"]["full_name"] for r in rows}
    links = [RepoLink(repo=name, remote_url="/unused") for name in repos]
    wanted, skipped = review_requests(rows, links)
    accepted = sorted({r.delivery_id for r in wanted.values()})
    reviewable = [r for r in rows if r.action in ("opened", "synchronize", "reopened")]
    line = (
        f"real payloads: {len(rows)} pull_request examples, {len(reviewable)} reviewable actions, "
        f"{len(wanted)} review request(s) after per-PR dedupe ({', '.join(accepted)}), "
        f"{len(skipped)} invalid"
    )
    opened = json.loads((PAYLOADS / "pull_request" / "opened.payload.json").read_text())
    PullRequestEvent.model_validate(opened)
    return opened, line


def prepare(source: Source, work: Path) -> Path:
    repo = work / source.name
    shutil.copytree(source.path, repo, symlinks=True, ignore=shutil.ignore_patterns(*SKIP))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def seed_branch(repo: Path, seed: Seed, name: str) -> tuple[str, str]:
    git(repo, "checkout", "-q", "main")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-B", name)
    for path, edit in seed.edits.items():
        target = repo / path
        target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    git(repo, "commit", "-qam", seed.title)
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "main")
    return base, head


def envelope(opened: dict, repo: str, number: int, base: str, head: str) -> PullRequestEvent:
    payload = copy.deepcopy(opened)
    payload["number"] = number
    payload["repository"]["full_name"] = repo
    payload["pull_request"]["number"] = number
    payload["pull_request"]["head"]["sha"] = head
    payload["pull_request"]["base"]["sha"] = base
    return PullRequestEvent.model_validate(payload)


def main() -> None:
    run_tests = "--no-tests" not in sys.argv
    opened, payload_line = real_payloads()
    print(payload_line)
    work = Path(tempfile.mkdtemp(prefix="agentops-pr-bench-"))
    specs = SpecFolder(ROOT / "examples" / "specs")
    repos: dict[str, Path] = {}
    results: list[tuple[Seed, bool, set[str], float]] = []
    try:
        for number, seed in enumerate(SEEDS, start=1):
            source = SOURCES[seed.source]
            if seed.source not in repos:
                repos[seed.source] = prepare(source, work)
            repo = repos[seed.source]
            base, head = seed_branch(repo, seed, f"seed-{number}")
            link = RepoLink(
                repo=f"bench/{seed.source}",
                remote_url=str(repo),
                implements=source.implements,
                spec_root=source.spec_root,
                spec_globs=list(source.spec_globs),
            )
            event = envelope(opened, link.repo, number, base, head)
            started = time.perf_counter()
            report = review_event(
                event,
                link,
                specs,
                work / "reviews" / str(number),
                ReviewOptions(run_tests=run_tests and source.run_tests),
            )
            seconds = time.perf_counter() - started
            kinds = report.kinds()
            results.append((seed, report.flagged, kinds, seconds))
            reqs = ",".join(r.id for r in report.requirements[:4]) or "-"
            tests = "ran" if report.tests.ran else "not run"
            print(
                f"#{number:02d} {seed.source:8s} {seed.kind:20s} flagged={str(report.flagged):5s} "
                f"kinds={','.join(sorted(kinds)) or '-'} reqs={reqs} tests={tests} {seconds:.1f}s"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for seed, flagged, _, _ in results:
        by_kind[seed.kind].append(flagged)
    for kind, flags in by_kind.items():
        label = "detected" if kind in HARMFUL else "false alarms"
        print(f"{kind:20s} {label} {sum(flags)}/{len(flags)}")
    harmful = [f for s, f, _, _ in results if s.harmful]
    harmless = [f for s, f, _, _ in results if not s.harmful]
    total = sum(t for *_, t in results)
    print(f"review time: {total:.1f}s for {len(results)} PRs ({total / len(results):.2f}s/PR)")
    if "--no-repair" not in sys.argv:
        from pr_repair import repair_figures

        print(repair_figures())
    print(f"rate={sum(harmful) / len(harmful):.2f} false_alarms={sum(harmless)} prs={len(results)}")


if __name__ == "__main__":
    main()
