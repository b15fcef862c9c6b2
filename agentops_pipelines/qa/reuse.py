"""Earlier verdicts of a run whose code and inputs did not change, kept under $AGENTOPS_HOME.

A run's inputs are its environment digest, its command, every non-test file of the repository
(any of them may be imported by any test) and each test file. When the non-test files and the
environment are unchanged, the verdicts of unchanged test files are reused and only new or
changed test files run; any other change runs everything.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.qa.discover import SKIP_DIRS
from agentops_pipelines.qa.envs.cache import envs_home
from agentops_pipelines.qa.envs.models import EnvProblem
from agentops_pipelines.qa.results import TestRecord


class Inputs(BaseModel):
    env_digest: str
    command: str
    sources: str = Field(description="one sha256 over every non-test file")
    tests: dict[str, str] = Field(description="repo-relative test file -> sha256")


class StoredRun(BaseModel):
    inputs: Inputs
    records: list[TestRecord]
    env_problems: list[EnvProblem] = Field(default_factory=list)
    ran: list[str] = Field(
        default_factory=list, description="test files whose run finished with a report"
    )


def inputs(root: Path, test_files: list[Path], env_digest: str, command: str) -> Inputs:
    tests = {str(p.relative_to(root)): _sha(p) for p in test_files}
    sha = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and d != ".git")
        for name in sorted(files):
            path = Path(folder) / name
            rel = str(path.relative_to(root))
            if rel in tests or not path.is_file() or path.is_symlink():
                continue
            sha.update(rel.encode() + b"\0" + _sha(path).encode())
    return Inputs(env_digest=env_digest, command=command, sources=sha.hexdigest(), tests=tests)


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _folder(root: Path) -> Path:
    return (
        envs_home().parent
        / "verdicts"
        / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:32]
    )


def _store(root: Path, label: str) -> Path:
    folder = _folder(root)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / f"{hashlib.sha256(label.encode()).hexdigest()[:32]}.json"


def forget(root: Path) -> None:
    """Drop every stored verdict of `root` (the next run starts from scratch)."""
    shutil.rmtree(_folder(root), ignore_errors=True)


def load(root: Path, label: str) -> StoredRun | None:
    legacy = hashlib.sha256(f"{root.resolve()}\0{label}".encode()).hexdigest()[:32]
    for path in (_store(root, label), envs_home().parent / "verdicts" / f"{legacy}.json"):
        try:
            return StoredRun.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return None


def save(root: Path, label: str, run: StoredRun) -> None:
    path = _store(root, label)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(run.model_dump_json(), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def plan_reuse(
    previous: StoredRun | None, now: Inputs
) -> tuple[list[TestRecord], list[str] | None]:
    """(verdicts to reuse, test files to run); None = run everything."""
    if previous is None:
        return [], None
    before = previous.inputs
    if (before.env_digest, before.command, before.sources) != (
        now.env_digest,
        now.command,
        now.sources,
    ):
        return [], None
    finished = set(previous.ran) | {r.file for r in previous.records if r.file}
    finished |= {t for p in previous.env_problems if p.kind != "timeout" for t in p.tests}
    if any(r.file is None for r in previous.records):
        whole = before.tests == now.tests and finished >= set(now.tests)
        return (previous.records, []) if whole else ([], None)
    # A file counts as done only if its run finished: a timed-out or crashed batch runs again.
    unchanged = {f for f, h in now.tests.items() if before.tests.get(f) == h and f in finished}
    kept = [r.model_copy(update={"reused": True}) for r in previous.records if r.file in unchanged]
    return kept, sorted(set(now.tests) - unchanged)
