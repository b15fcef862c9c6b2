from __future__ import annotations

from pathlib import Path

import pytest

from agentops_pipelines.planning import TEMPLATES, build_plan, build_task_graph, task_graph_problems

SPECS = Path(__file__).resolve().parents[2] / "examples" / "specs"
SAMPLES = sorted(str(p.relative_to(SPECS)) for p in SPECS.rglob("*.md"))

try:
    from agentops_pipelines.specs.parsing import parse_spec
except Exception as exc:  # the parser is another engineer's package
    parse_spec = None
    PARSER_PROBLEM = f"agentops_pipelines.specs.parsing does not import: {exc}"
else:
    PARSER_PROBLEM = ""


def test_there_are_sample_specs() -> None:
    assert SAMPLES, f"no sample specs under {SPECS}"


@pytest.mark.skipif(parse_spec is None, reason=PARSER_PROBLEM or "parser missing")
@pytest.mark.parametrize("spec_id", SAMPLES)
def test_every_sample_spec_plans_with_every_template(spec_id: str) -> None:
    assert parse_spec is not None
    doc = parse_spec(spec_id, (SPECS / spec_id).read_text(encoding="utf-8"))
    for template_id in TEMPLATES:
        plan = build_plan(doc, template_id)
        assert plan.uncovered() == [], (spec_id, template_id)
        graph = build_task_graph(plan)
        assert task_graph_problems(graph) == []
        assert build_task_graph(build_plan(doc, template_id)).hash == graph.hash
