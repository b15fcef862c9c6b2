from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentops_pipelines.planning import TEMPLATES, build_plan, build_task_graph
from agentops_pipelines.specs.models import Requirement
from tests.support.planning_factories import requirement, spec_doc

WORDS = [
    "api", "endpoint", "store", "database", "page", "email", "daily", "batch", "admin",
    "pdf", "export", "command", "stripe", "latency", "invoice", "customer", "order", "the",
    "system", "must", "record", "within", "seconds", "download", "webhook",
]  # fmt: skip

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=10).map(" ".join)
requirement_sets = st.lists(texts, min_size=1, max_size=12).map(
    lambda ts: [requirement(f"FR-{i:03d}", t) for i, t in enumerate(ts, start=1)]
)
template_ids = st.sampled_from(sorted(TEMPLATES))
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _hash(reqs: list[Requirement], template_id: str) -> str:
    return build_task_graph(build_plan(spec_doc(reqs), template_id)).hash


@FAST
@given(reqs=requirement_sets, template_id=template_ids, data=st.data())
def test_requirement_order_does_not_change_the_hash(
    reqs: list[Requirement], template_id: str, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(reqs))
    assert _hash(list(shuffled), template_id) == _hash(reqs, template_id)


@FAST
@given(reqs=requirement_sets, template_id=template_ids, data=st.data())
def test_whitespace_does_not_change_the_hash(
    reqs: list[Requirement], template_id: str, data: st.DataObject
) -> None:
    gaps = st.sampled_from([" ", "  ", "\n", "\t", " \n  "])
    spaced = []
    for req in reqs:
        words = req.text.split(" ")
        seps = data.draw(st.lists(gaps, min_size=len(words) + 1, max_size=len(words) + 1))
        text = seps[0] + "".join(w + s for w, s in zip(words, seps[1:], strict=True))
        spaced.append(req.model_copy(update={"text": text}))
    assert _hash(spaced, template_id) == _hash(reqs, template_id)


@FAST
@given(reqs=requirement_sets, extra=texts, template_id=template_ids)
def test_adding_a_requirement_keeps_every_task_id(
    reqs: list[Requirement], extra: str, template_id: str
) -> None:
    before_plan = build_plan(spec_doc(reqs), template_id)
    after_plan = build_plan(spec_doc([*reqs, requirement("FR-999", extra)]), template_id)
    before, after = build_task_graph(before_plan), build_task_graph(after_plan)
    old_ids = {t.id for t in before.tasks}
    new_ids = {t.id for t in after.tasks}
    assert old_ids < new_ids
    assert "test:FR-999" in new_ids
    assert any(i.startswith("generate_code:") and i.endswith(":FR-999") for i in new_ids)
    same_stack = [c.chosen.id for c in before_plan.stack] == [c.chosen.id for c in after_plan.stack]
    for task in before.tasks:
        if same_stack and "FR-999" not in after.task(task.id).requirement_ids:
            assert after.task(task.id).files == task.files
