"""Turn requirements into components and interfaces with the rules engine."""

from __future__ import annotations

import re

from agentops_pipelines.planning.models import Component, Interface
from agentops_pipelines.planning.rules import RuleSet, load_rules, match_rules
from agentops_pipelines.specs.models import Requirement


def natural_key(requirement_id: str) -> tuple[object, ...]:
    """Sort FR-2 before FR-10, so listings read the way authors number them."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.lower())
        for part in re.split(r"(\d+)", requirement_id)
        if part
    )


def map_requirements(
    requirements: list[Requirement], rules: RuleSet | None = None
) -> tuple[list[Component], list[Interface]]:
    """Components and interfaces sorted by ID, each listing the requirements it serves."""
    ruleset = rules or load_rules()
    components: dict[str, Component] = {}
    interfaces: dict[str, Interface] = {}
    for req in sorted(requirements, key=lambda r: natural_key(r.id)):
        fired = match_rules(req, ruleset)
        if not fired:
            tpl = ruleset.default_component
            comp = components.setdefault(tpl.id, Component(**tpl.model_dump()))
            comp.requirement_ids.append(req.id)
            comp.rule_ids = ["default"]
            continue
        for rule in fired:
            tpl = rule.component
            comp = components.setdefault(tpl.id, Component(**tpl.model_dump()))
            comp.requirement_ids.append(req.id)
            if rule.id not in comp.rule_ids:
                comp.rule_ids.append(rule.id)
            if rule.interface is not None:
                iid = f"{tpl.id}.{rule.interface.kind}"
                face = interfaces.setdefault(
                    iid,
                    Interface(
                        id=iid,
                        kind=rule.interface.kind,
                        component_id=tpl.id,
                        name=rule.interface.name,
                    ),
                )
                face.requirement_ids.append(req.id)
    return (
        [components[k] for k in sorted(components)],
        [interfaces[k] for k in sorted(interfaces)],
    )
