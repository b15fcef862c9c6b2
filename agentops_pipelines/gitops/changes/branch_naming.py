"""Branch names for generated changes: `agentops/<spec-id>/<task-id>-<slug>` by default.

A spec id is a partition key such as `billing-invoices/spec.md`; it is flattened so the branch
name stays a valid git ref whatever characters the spec path or task title contain.
"""

from __future__ import annotations

import re

DEFAULT_BRANCH_TEMPLATE = "agentops/{spec}/{task}-{slug}"
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_SPEC_SUFFIXES = (".md", ".markdown", ".txt", ".yaml", ".yml")


def _component(text: str, max_len: int) -> str:
    """One ref component: lower-case, safe characters, no `..`, no leading or trailing dot/dash,
    never ending in `.lock` (git forbids it)."""
    value = _UNSAFE.sub("-", text.lower())
    value = re.sub(r"\.{2,}", ".", value)
    value = re.sub(r"-{2,}", "-", value)[:max_len].strip(".-")
    if value.endswith(".lock"):
        value = value.removesuffix(".lock") + "-lock"
    return value


def spec_slug(spec_id: str) -> str:
    """`billing-invoices/spec.md` -> `billing-invoices-spec`."""
    stem = spec_id
    for suffix in _SPEC_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return _component(stem.replace("/", "-").replace("\\", "-"), 80)


def branch_name(
    spec_id: str, task_id: str, title: str, template: str = DEFAULT_BRANCH_TEMPLATE
) -> str:
    parts = {
        "spec": spec_slug(spec_id),
        "task": _component(task_id, 40),
        "slug": _component(title, 50),
    }
    empty = [name for name, value in parts.items() if not value]
    if empty:
        raise ValueError(
            f"cannot build a branch name: {', '.join(empty)} is empty after removing characters"
            f" git refuses (spec_id={spec_id!r}, task_id={task_id!r}); give it letters or digits"
        )
    try:
        return template.format(**parts)
    except KeyError as err:
        raise ValueError(
            f"branch template {template!r} uses unknown field {err};"
            " use {spec}, {task} and {slug}"
        ) from None
