"""Tests a PR deletes or weakens: removed tests, removed or loosened asserts, added skips.

Python tests are compared function by function through `ast` (a test whose body moved to a new
name counts as renamed, not removed); JS/TS test files by test titles and `expect` matchers. Each
change is returned with the diff line it sits on, so the finding lands on the PR.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from pathlib import PurePosixPath

from pydantic import BaseModel

from agentops_pipelines.qa.discover import TEST_GLOBS
from agentops_pipelines.review.diff import DiffFile, DiffLine
from agentops_pipelines.review.models import Finding

_SKIP_DECORATORS = {"skip", "skipif", "xfail"}
_SKIP_CALLS = {"skip", "xfail", "importorskip"}
_STRONG = 3  # equality, identity, raises
_ORDER = 2  # ordering, membership
_WEAK = 1  # truthiness, inequality, not-None
_UNITTEST = {
    "assertEqual": _STRONG,
    "assertEquals": _STRONG,
    "assertIs": _STRONG,
    "assertRaises": _STRONG,
    "assertAlmostEqual": _STRONG,
    "assertCountEqual": _STRONG,
    "assertDictEqual": _STRONG,
    "assertListEqual": _STRONG,
    "assertIn": _ORDER,
    "assertGreater": _ORDER,
    "assertLess": _ORDER,
    "assertGreaterEqual": _ORDER,
    "assertLessEqual": _ORDER,
}


def is_test_path(path: str) -> bool:
    pure = PurePosixPath(path)
    return "__tests__" in pure.parts or any(fnmatch.fnmatch(pure.name, g) for g in TEST_GLOBS)


class Assertion(BaseModel):
    line: int
    strength: int
    tolerance: float | None = None


class PyTest(BaseModel):
    qualname: str
    start: int
    end: int
    asserts: list[Assertion]
    skipped: bool
    body_digest: str


def _strength_of_compare(node: ast.Compare) -> int:
    op = node.ops[0]
    right = node.comparators[0]
    if isinstance(op, ast.IsNot | ast.NotEq) or (
        isinstance(op, ast.Is) and isinstance(right, ast.Constant) and right.value is not None
    ):
        return _WEAK if isinstance(op, ast.IsNot | ast.NotEq) else _STRONG
    if isinstance(op, ast.Eq | ast.Is):
        return _STRONG
    return _ORDER


def _tolerance(node: ast.AST) -> float | None:
    """rel/abs of a `pytest.approx(...)` or `places`/`delta` of assertAlmostEqual, if constant."""
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            for kw in call.keywords:
                value = kw.value.value if isinstance(kw.value, ast.Constant) else None
                if kw.arg in ("rel", "abs", "delta") and isinstance(value, int | float):
                    return float(value)
    return None


def _assertions(func: ast.AST) -> list[Assertion]:
    found = []
    for node in ast.walk(func):
        if isinstance(node, ast.Assert):
            test = node.test
            strength = _strength_of_compare(test) if isinstance(test, ast.Compare) else _WEAK
            found.append(Assertion(line=node.lineno, strength=strength, tolerance=_tolerance(test)))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in ("raises", "warns") or name in _UNITTEST:
                strength = _UNITTEST.get(name, _STRONG)
                found.append(
                    Assertion(line=node.lineno, strength=strength, tolerance=_tolerance(node))
                )
            elif name.startswith("assert") and name not in ("assert_called",):
                found.append(Assertion(line=node.lineno, strength=_WEAK))
    return sorted(found, key=lambda a: a.line)


def _is_skipped(func: ast.FunctionDef | ast.AsyncFunctionDef, class_skipped: bool) -> bool:
    if class_skipped:
        return True
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(target, ast.Attribute) and target.attr in _SKIP_DECORATORS:
            return True
    for node in ast.walk(func):
        func_node = node.func if isinstance(node, ast.Call) else None
        if not isinstance(func_node, ast.Attribute) or func_node.attr not in _SKIP_CALLS:
            continue
        if isinstance(func_node.value, ast.Name) and func_node.value.id == "pytest":
            return True
    return False


def _class_skipped(node: ast.ClassDef) -> bool:
    return any(
        isinstance(t := (d.func if isinstance(d, ast.Call) else d), ast.Attribute)
        and t.attr in _SKIP_DECORATORS
        for d in node.decorator_list
    )


def python_tests(text: str) -> dict[str, PyTest] | None:
    """Tests of a module by qualname, or None if it does not parse."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    tests: dict[str, PyTest] = {}

    def add(func: ast.FunctionDef | ast.AsyncFunctionDef, prefix: str, skipped: bool) -> None:
        first = min([func.lineno, *(d.lineno for d in func.decorator_list)])
        digest = ast.dump(ast.Module(body=func.body, type_ignores=[]))
        tests[prefix + func.name] = PyTest(
            qualname=prefix + func.name,
            start=first,
            end=func.end_lineno or first,
            asserts=_assertions(func),
            skipped=_is_skipped(func, skipped),
            body_digest=digest,
        )

    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            add(node, "", False)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if item.name.startswith("test"):
                    add(item, f"{node.name}::", _class_skipped(node))
    return tests


def _finding(
    kind, message: str, diff: DiffFile, at: DiffLine, test_id: str, severity="error"
) -> Finding:
    return Finding(
        kind=kind,
        severity=severity,
        message=message,
        file=diff.path,
        line=at.new_line if at.kind != "removed" else None,
        old_line=at.old_line if at.kind == "removed" else None,
        position=at.position,
        test_id=test_id,
    )


def _head_line(diff: DiffFile, line: int) -> DiffLine:
    """The diff line of a head line if it is in the diff, else the first change of the file."""
    for ln in diff.lines:
        if ln.new_line == line and ln.kind != "removed":
            return ln
    return diff.first_line()


def compare_python(diff: DiffFile, base: str | None, head: str | None) -> list[Finding]:
    before = python_tests(base) if base is not None else {}
    after = python_tests(head) if head is not None else {}
    if before is None or after is None:
        return []  # an unparsable side: the sandbox run reports the collection error
    findings: list[Finding] = []
    new_digests = {t.body_digest for name, t in after.items() if name not in before}
    for name, old in before.items():
        test_id = f"{diff.old_path or diff.path}::{name}"
        new = after.get(name)
        if new is None:
            if old.body_digest in new_digests:
                continue  # renamed with the same body
            at = diff.first_change((old.start, old.end), None)
            findings.append(
                _finding("test_removed", f"test `{name}` was removed", diff, at, test_id)
            )
            continue
        if new.skipped and not old.skipped:
            at = diff.first_change(None, (new.start, new.end))
            findings.append(
                _finding(
                    "test_skipped", f"test `{name}` is now skipped or xfail", diff, at, test_id
                )
            )
        if len(new.asserts) < len(old.asserts):
            at = diff.first_change((old.start, old.end), (new.start, new.end))
            lost = len(old.asserts) - len(new.asserts)
            findings.append(
                _finding(
                    "assert_removed",
                    f"test `{name}` lost {lost} of its {len(old.asserts)} assertion(s)",
                    diff,
                    at,
                    test_id,
                )
            )
            continue
        for a, b in zip(old.asserts, new.asserts, strict=False):
            looser = (
                b.strength < a.strength
                or (
                    a.tolerance is not None
                    and b.tolerance is not None
                    and b.tolerance > a.tolerance
                )
                or (a.tolerance is None and b.tolerance is not None and b.strength <= a.strength)
            )
            if looser:
                findings.append(
                    _finding(
                        "assert_weakened",
                        f"an assertion of `{name}` was loosened (line {b.line}: a weaker comparison"
                        " "
                        "or a larger tolerance than before)",
                        diff,
                        _head_line(diff, b.line),
                        test_id,
                    )
                )
                break
    return findings


_JS_TEST = re.compile(r"""\b(?:it|test)(?:\.only)?\s*\(\s*(['"`])(?P<title>.+?)\1""")
_JS_SKIP = re.compile(r"""\b(?:(?:it|test|describe)\.(?:skip|todo)|xit|xtest|xdescribe)\s*\(""")
_JS_EXPECT = re.compile(r"\bexpect\s*\(")
_JS_STRONG = re.compile(r"\.(?:toBe|toEqual|toStrictEqual|toThrow|toHaveBeenCalledWith)\s*\(")


def _js_titles(text: str) -> set[str]:
    return {m.group("title") for m in _JS_TEST.finditer(text)}


def compare_script(diff: DiffFile, base: str | None, head: str | None) -> list[Finding]:
    base, head = base or "", head or ""
    findings = []
    removed = sorted(_js_titles(base) - _js_titles(head))
    at = diff.first_line()
    for title in removed:
        findings.append(
            _finding(
                "test_removed", f"test '{title}' was removed", diff, at, f"{diff.path}::{title}"
            )
        )
    if len(_JS_SKIP.findall(head)) > len(_JS_SKIP.findall(base)):
        findings.append(
            _finding("test_skipped", "a test was marked skip/todo", diff, at, diff.path)
        )
    expects = (len(_JS_EXPECT.findall(base)), len(_JS_EXPECT.findall(head)))
    strong = (len(_JS_STRONG.findall(base)), len(_JS_STRONG.findall(head)))
    if expects[1] < expects[0] and not removed:
        findings.append(
            _finding(
                "assert_removed",
                f"{expects[0] - expects[1]} expect() call(s) removed",
                diff,
                at,
                diff.path,
            )
        )
    elif strong[1] < strong[0] and expects[1] >= expects[0]:
        findings.append(
            _finding(
                "assert_weakened",
                "an exact matcher (toBe/toEqual/...) was replaced by a looser one",
                diff,
                at,
                diff.path,
            )
        )
    return findings


def weakened_tests(diff: DiffFile, base: str | None, head: str | None) -> list[Finding]:
    """Findings for one changed test file (base/head text None when the side has no file)."""
    if diff.path.endswith(".py"):
        return compare_python(diff, base, head)
    return compare_script(diff, base, head)
