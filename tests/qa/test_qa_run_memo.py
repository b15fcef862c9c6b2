"""One scoring run reads a repository once: the walk and per-file extracts are shared by every
spec it scores, and a new run sees changes."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.qa import evidence_links as trace
from agentops_pipelines.qa.discover import test_files as walk
from agentops_pipelines.qa.run_memo import memo, one_run


def test_memo_computes_once_inside_a_run_only() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert memo("k", 1, compute) == 1 and memo("k", 1, compute) == 2  # no run: every time
    with one_run():
        assert memo("k", 1, compute) == 3
        with one_run():  # nested: the same run
            assert memo("k", 1, compute) == 3
        assert memo("k", 2, compute) == 4
    assert memo("k", 1, compute) == 5


def test_walk_is_shared_within_a_run_and_fresh_after(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text("def test_a():\n    pass\n")
    with one_run():
        assert [p.name for p in walk(tmp_path)] == ["test_a.py"]
        (tmp_path / "test_b.py").write_text("def test_b():\n    pass\n")
        assert [p.name for p in walk(tmp_path)] == ["test_a.py"]
    assert [p.name for p in walk(tmp_path)] == ["test_a.py", "test_b.py"]


def test_python_extract_once_per_content_and_ids_still_per_spec(tmp_path: Path) -> None:
    path = tmp_path / "test_x.py"
    path.write_text('def test_fr_001():\n    """FR-002"""\n    # FR-003\n    pass\n')
    trace._python_extract.cache_clear()
    first = {ln.requirement_id for ln in trace.link_tests(["FR-001", "FR-002"], path)}
    second = {ln.requirement_id for ln in trace.link_tests(["FR-003"], path)}
    assert first == {"FR-001", "FR-002"} and second == {"FR-003"}
    assert trace._python_extract.cache_info().misses == 1  # parsed once for both specs
    path.write_text("def test_fr_009():\n    pass\n")  # new content: read afresh
    assert {ln.requirement_id for ln in trace.link_tests(["FR-009"], path)} == {"FR-009"}
