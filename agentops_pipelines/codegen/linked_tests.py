"""The tests a generated patch must pass: tests that claim the task's requirements (trace links)
plus every test file the patch writes; run in the sandbox on a copy of the workspace."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pydantic import BaseModel, Field

from agentops_pipelines.codegen.patching import write_changes
from agentops_pipelines.codeintel.index import SKIP_DIRS
from agentops_pipelines.qa.discover import test_files
from agentops_pipelines.qa.evidence_links import link_tests
from agentops_pipelines.qa.junit import JUnitFormatError, parse_junit
from agentops_pipelines.qa.results import records_from_report
from agentops_pipelines.qa.run import REPORT, pytest_argv
from agentops_pipelines.qa.sandbox import SandboxLimits, run_sandboxed, sandbox_python

DEFAULT_LIMITS = SandboxLimits(cpu_seconds=60, wall_seconds=180, memory_bytes=2 * 1024**3)


class LinkedRun(BaseModel):
    node_ids: list[str]
    passed: int = 0
    failed: int = 0
    failing: list[str] = Field(default_factory=list)
    output: str = Field(default="", description="failure messages and the pytest output tail")

    @property
    def green(self) -> bool:
        return bool(self.node_ids) and self.failed == 0 and self.passed > 0


def linked_node_ids(root: Path, requirement_ids: list[str], written: list[str]) -> list[str]:
    """pytest node ids (repo-relative), Python tests only: the sandbox runs pytest."""
    root = Path(root).resolve()
    nodes = {p for p in written if p.endswith(".py") and Path(p).name.startswith("test")}
    if requirement_ids:
        for link in link_tests(
            requirement_ids, *(p for p in test_files(root) if p.suffix == ".py")
        ):
            path, _, name = link.test_id.partition("::")
            relative = Path(path).resolve().relative_to(root).as_posix()
            if relative not in nodes:
                nodes.add(f"{relative}::{name}" if name else relative)
    return sorted(nodes)


def _layout_args(root: Path) -> list[str]:
    """A `src/` layout is importable once installed; the sandbox installs nothing, so pytest
    is told the path, unless the repository configures `pythonpath` itself."""
    if not (root / "src").is_dir():
        return []
    for name in ("pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini"):
        config = root / name
        if config.is_file() and "pythonpath" in config.read_text("utf-8", "replace"):
            return []
    return ["-o", "pythonpath=src"]


def run_linked(
    workspace: Path,
    changes: dict[str, str | None],
    node_ids: list[str],
    evidence: Path,
    limits: SandboxLimits | None = None,
) -> LinkedRun:
    """Apply `changes` to a private copy of the workspace and run the given tests there."""
    run = LinkedRun(node_ids=node_ids)
    if not node_ids:
        return run
    scratch = Path(tempfile.mkdtemp(prefix="agentops-repair-"))
    try:
        copy = scratch / "ws"
        shutil.copytree(workspace, copy, symlinks=True, ignore=shutil.ignore_patterns(*SKIP_DIRS))
        write_changes(copy, changes)
        python, pythonpath = sandbox_python()
        result = run_sandboxed(
            copy,
            [*pytest_argv(python), *_layout_args(copy), *node_ids],
            limits or DEFAULT_LIMITS,
            junit_xml=REPORT,
            evidence_dir=evidence,
            pythonpath=pythonpath,
            env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    tail = (result.stdout_tail + "\n" + result.stderr_tail).strip()
    if result.junit_xml_path is None:
        why = f"killed by the {result.killed_by} limit" if result.killed_by else "no JUnit report"
        return run.model_copy(update={"failed": len(node_ids), "output": f"{why}\n{tail}"})
    try:
        records = records_from_report(
            parse_junit(result.junit_xml_path), "generated", str(result.junit_xml_path)
        )
    except JUnitFormatError as exc:
        return run.model_copy(update={"failed": len(node_ids), "output": f"{exc}\n{tail}"})
    bad = [r for r in records if r.status in ("failed", "error")]
    messages = [f"{r.test_id}: {r.message or ''}\n{(r.details or '')[:800]}" for r in bad]
    return run.model_copy(
        update={
            "passed": sum(1 for r in records if r.status == "passed"),
            "failed": len(bad) + (0 if records else len(node_ids)),
            "failing": [r.test_id for r in bad],
            "output": "\n".join(messages) + "\n" + tail[-2000:],
        }
    )
