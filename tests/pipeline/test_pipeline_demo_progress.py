"""The demo's progress lines: one per spec as its spec_pipeline_job run finishes, no TTY needed."""

from __future__ import annotations

import dagster as dg

from agentops_pipelines.cli.demo_progress import watch


@dg.op
def ok_op() -> None:
    pass


@dg.op
def failing_op() -> None:
    raise RuntimeError("boom")


def _run(instance: dg.DagsterInstance, key: str, fail: bool = False) -> None:
    @dg.job(name="spec_pipeline_job")
    def spec_pipeline_job() -> None:
        (failing_op if fail else ok_op)()

    spec_pipeline_job.execute_in_process(
        instance=instance, tags={"dagster/partition": key}, raise_on_error=False
    )


def test_one_line_per_spec_then_done(capsys) -> None:
    instance = dg.DagsterInstance.ephemeral()
    _run(instance, "a/spec.md")
    _run(instance, "b.md")
    _run(instance, "not-expected.md")
    assert watch(["a/spec.md", "b.md"], instance, 5, 0.05, "http://ui") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("ingesting 2 specs")
    assert lines[1].startswith("[1/2] a/spec.md success") and lines[2].startswith("[2/2] b.md")
    assert lines[-1].startswith("all 2 specs done")
    assert not any("not-expected" in line for line in lines)


def test_a_failed_spec_names_its_run_and_times_out(capsys) -> None:
    instance = dg.DagsterInstance.ephemeral()
    _run(instance, "a/spec.md", fail=True)
    assert watch(["a/spec.md"], instance, 0.3, 0.05, "http://ui") == 1
    out = capsys.readouterr().out
    assert "a/spec.md failure" in out and "see http://ui/runs/" in out
    assert "not done: a/spec.md" in out
