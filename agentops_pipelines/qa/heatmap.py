"""Risk Heat Map: requirements x risk factors, each cell with the rule that set its level.

Levels 0 (no risk) to 3 (high). The rule text is shown in the dashboard's hover, so a reviewer
never has to guess why a cell is red.
"""

from __future__ import annotations

from agentops_pipelines.qa.config import QAConfig
from agentops_pipelines.qa.score_models import HeatCell, HeatRow, RequirementQA

FACTORS = ("coverage", "failures", "flakiness", "ambiguity", "change", "priority")


def heat_rows(requirements: list[RequirementQA], config: QAConfig) -> list[HeatRow]:
    return [
        HeatRow(
            requirement_id=req.id,
            cells=[
                _coverage(req),
                _failures(req),
                _flakiness(req, config),
                _ambiguity(req, config),
                _change(req),
                _priority(req),
            ],
        )
        for req in requirements
    ]


def _coverage(req: RequirementQA) -> HeatCell:
    passing = sum(t.result == "passed" for t in req.tests)
    real = [t for t in req.tests if t.origin != "generated"]
    if not req.tests:
        level, rule = 3, "3 when no test is linked to the requirement"
    elif not real:
        level, rule = 2, "2 when only generated skeletons are linked"
    elif passing == 0:
        level, rule = 2, "2 when linked tests exist but none passed"
    elif passing == 1:
        level, rule = 1, "1 when exactly one linked test passes"
    else:
        level, rule = 0, "0 when two or more linked tests pass"
    return HeatCell(factor="coverage", level=level, value=f"{passing}/{len(req.tests)}", rule=rule)


def _failures(req: RequirementQA) -> HeatCell:
    real = [t for t in req.tests if t.origin != "generated"]
    failing = sum(t.result in ("failed", "error") for t in real)
    skipped = sum(t.result in ("skipped", "xfail", "not_run") for t in req.tests)
    if failing:
        level, rule = 3, "3 when a linked repo or CI test fails"
    elif req.status == "pending":
        level, rule = 2, "2 when only generated skeletons fail (not implemented yet)"
    elif skipped:
        level, rule = 1, "1 when a linked test was skipped or did not run"
    else:
        level, rule = 0, "0 when no linked test fails or is skipped"
    return HeatCell(factor="failures", level=level, value=str(failing), rule=rule)


def _stepped(value: float, steps: list[float]) -> int:
    return sum(value >= step for step in steps)


def _flakiness(req: RequirementQA, config: QAConfig) -> HeatCell:
    steps = config.heat.flakiness
    return HeatCell(
        factor="flakiness",
        level=_stepped(req.flakiness, steps),
        value=f"{req.flakiness:.2f}",
        rule=f"share of verdict flips over recent runs; levels at >= {steps}",
    )


def _ambiguity(req: RequirementQA, config: QAConfig) -> HeatCell:
    steps = config.heat.ambiguity
    if req.ambiguity is None:
        return HeatCell(
            factor="ambiguity", level=0, value="n/a", rule="0: no ambiguity detector configured"
        )
    return HeatCell(
        factor="ambiguity",
        level=_stepped(req.ambiguity, [float(s) for s in steps]),
        value=str(req.ambiguity),
        rule=f"ambiguity findings in the requirement; levels at >= {steps}",
    )


def _change(req: RequirementQA) -> HeatCell:
    if req.changed_since_green:
        level, rule = 3, "3 when the text changed after its last green run and tests did not"
    elif req.changed:
        level, rule = 2, "2 when added or changed in the latest spec version"
    else:
        level, rule = 0, "0 when unchanged in the latest spec version"
    return HeatCell(factor="change", level=level, value=str(req.changed), rule=rule)


def _priority(req: RequirementQA) -> HeatCell:
    level = 3 if req.weight >= 3 else 2 if req.weight >= 2 else 1
    return HeatCell(
        factor="priority",
        level=level,
        value=req.priority or req.modal or "-",
        rule="weight from config/qa.yaml: >= 3 -> 3, >= 2 -> 2, else 1",
    )
