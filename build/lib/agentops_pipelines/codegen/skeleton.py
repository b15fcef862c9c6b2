"""The offline deliverable: one failing pytest skeleton per acceptance criterion.

With no model available, codegen still turns the spec into something a team runs on day one:
`tests/agentops/test_<req>.py` with one test per criterion (its Given/When/Then or EARS text in
the docstring), marked `@pytest.mark.requirement("<REQ-ID>")` for traceability, failing with a
message naming the criterion until someone implements it. Rendered by a Jinja template.
"""

from __future__ import annotations

import json
import re
import unicodedata

from agentops_pipelines.planning.layout import slug
from agentops_pipelines.specs.models import Requirement

SKELETON_DIR = "tests/agentops"
CONFTEST_PATH = f"{SKELETON_DIR}/conftest.py"
WRAP = 88

CONFTEST = '''"""Registers the `requirement` marker of the AgentOps acceptance-test skeletons."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "requirement(id): links a test to a spec requirement ID for traceability"
    )
'''

_HEADER = '''"""{title}

{statement}

Each test fails until the behaviour it describes is implemented and the test body replaced.
"""

import pytest
'''


def _safe(text: str) -> str:
    """Text that can sit inside a triple-quoted docstring unchanged in meaning."""
    return text.replace("\\", "\\\\").replace('"""', "'''").strip()


def _width(text: str) -> int:
    """Display width as ruff measures line length: East Asian wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pieces(text: str, width: int) -> list[str]:
    """Split into pieces of at most `width` columns, breaking after spaces where possible;
    the pieces concatenate back to `text` exactly."""
    pieces, current = [], ""
    for token in re.findall(r"\S+\s*|\s+", text):
        while _width(token) > width:  # one over-long word: break it by character
            room = width - _width(current)
            cut = 0
            while cut < len(token) and _width(token[: cut + 1]) <= room:
                cut += 1
            if cut == 0 and current:
                pieces.append(current)
                current = ""
                continue
            pieces.append(current + token[: max(cut, 1)])
            current, token = "", token[max(cut, 1) :]
        if current and _width(current + token.rstrip()) > width:
            pieces.append(current)
            current = ""
        current += token
    return [*pieces, current] if current else pieces


def _wrap(text: str, indent: str = "") -> str:
    room = WRAP - len(indent)
    lines: list[str] = []
    for para in _safe(text).splitlines() or [""]:
        words = [p.strip() for p in _pieces(" ".join(para.split()), room)]
        lines += [indent + w for w in words] or [""]
    return "\n".join(lines)


def _steps(text: str) -> str:
    """Given/When/Then (and And/But) each on their own line, as a reader expects them."""
    return re.sub(r"\s+(?=\b(?:When|Then|And|But)\b)", "\n", text.strip())


def _literal(text: str) -> str:
    """A Python string literal quoted the way `ruff format` would (double unless that escapes)."""
    body = json.dumps(text, ensure_ascii=False)[1:-1]
    if '"' in text and "'" not in text:
        return "'" + body.replace('\\"', '"') + "'"
    return f'"{body}"'


def _fail_call(message: str) -> str:
    """`pytest.fail(...)` on one line when it fits, else adjacent literals (ruff format style)."""
    one = f"    pytest.fail({_literal(message)})"
    if _width(one) <= 100:
        return one
    alone = f"        {_literal(message)}"
    if _width(alone) <= 100:
        return f"    pytest.fail(\n{alone}\n    )"
    pieces = _pieces(message, 70)
    body = "\n".join(f"        {_literal(p)}" for p in pieces)
    return f"    pytest.fail(\n{body}\n    )"


def _test_function(name: str, rid: str, heading: str, text: str, message: str) -> str:
    doc = _wrap(heading, "    ").lstrip() + "\n\n" + _wrap(text, "    ")
    return (
        f"@pytest.mark.requirement({_literal(rid)})\n"
        f"def {name}() -> None:\n"
        f'    """{doc}\n    """\n'
        f"{_fail_call(message)}\n"
    )


def _cases(req: Requirement) -> list[str]:
    criteria = [(c.id, c.title, _steps(c.text)) for c in req.acceptance_criteria]
    if not criteria:  # no criterion: the requirement's own statement is what to test
        criteria = [(req.id, req.title, req.text)]
    cases, names = [], set()
    for cid, title, text in criteria:
        name = f"test_{slug(cid)}"
        while name in names:
            name += "_x"
        names.add(name)
        heading = f"{cid}: {title}" if title else cid
        short = " ".join(text.split())[:120]
        message = f"{cid} is not implemented yet: {short}"
        cases.append(_test_function(name, req.id, heading, text, message))
    return cases


def skeleton_path(requirement_id: str) -> str:
    return f"{SKELETON_DIR}/test_{slug(requirement_id)}.py"


def render_skeleton(spec_id: str, req: Requirement) -> str:
    title = _wrap(f"Acceptance tests for {req.id} (generated by AgentOps from {spec_id}).")
    header = _HEADER.format(title=title, statement=_wrap(f"{req.id}: {req.text}"))
    return header + "".join("\n\n" + case for case in _cases(req))


def skeleton_files(spec_id: str, req: Requirement) -> dict[str, str]:
    return {skeleton_path(req.id): render_skeleton(spec_id, req), CONFTEST_PATH: CONFTEST}
