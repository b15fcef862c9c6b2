"""Whether a run's report can be believed, and which results are environment problems.

The report comes from code running next to the tests, so it is cross-checked against what the
sandbox saw for itself: the runner's exit status (decoded by our init from wait4) and the
summary counts it printed. A report that disagrees is not believed: its passes do not count.
A result that failed because the environment lacks something (a newer Python, a module, a
service) is taken out of the verdicts and named as an environment problem instead.
"""

from __future__ import annotations

import re

from agentops_pipelines.qa.envs.models import EnvProblem
from agentops_pipelines.qa.junit import TestReport
from agentops_pipelines.qa.results import TestRecord

_PYTEST_SUMMARY = re.compile(r"^=+ (?P<body>.*?) in [\d.]+s(?: \([^)]*\))? =+$", re.M)
_VITEST_SUMMARY = re.compile(r"^\s*Tests\s+(?P<body>.+?)\s*\((?P<total>\d+)\)\s*$", re.M)
_COUNT = re.compile(r"(\d+) (failed|passed|errors?|skipped|xfailed|xpassed|todo)")
_NO_MODULE = re.compile(r"No module named '([^']+)'")
_NODE_EXPORT = re.compile(r"module 'node:([^']+)' does not provide an export named '([^']+)'")
_NEWER_NAMES = {  # standard-library names by the Python that added them
    "override": "3.12", "batched": "3.12", "TypeIs": "3.13", "ReadOnly": "3.13",
    "deprecated": "3.13", "tomllib": "3.11", "Self": "3.11", "StrEnum": "3.11",
}  # fmt: skip
_SERVICE_HINTS = ("ConnectionRefusedError", "ECONNREFUSED", "Connection refused",
                  "could not connect to server", "Name or service not known",
                  "getaddrinfo ENOTFOUND", "getaddrinfo EAI_AGAIN", "Network is unreachable",
                  "Temporary failure in name resolution")  # fmt: skip


def disbelief(report: TestReport, exit_code: int | None, stdout: str, runner: str) -> str | None:
    """Why the report must not be believed, or None when it agrees with what we saw."""
    totals = report.totals
    bad = totals.failed + totals.errors
    if exit_code is None:
        return None  # killed at the wall clock: the run log says so; partial reports stand
    if exit_code == 0 and bad:
        return f"the report lists {bad} failed/errored tests but {runner} exited 0"
    if exit_code == 1 and not bad:
        return f"{runner} exited 1 (tests failed) but the report lists no failure"
    if exit_code not in (0, 1, 5) and runner == "pytest" and not bad:
        return f"pytest exited {exit_code} (interrupted or internal error); report not trusted"
    printed = _printed_counts(stdout, runner)
    if printed is not None:
        passed, failed = printed
        # vitest and jest add one failing case per failed file to the report, beside the tests
        # they count: for them a forged pass shows in the passed count, a failure may be extra.
        agree = (
            (passed, failed) == (totals.passed, bad)
            if runner == "pytest"
            else (passed == totals.passed and failed <= bad)
        )
        if not agree:
            return (
                f"{runner} printed {failed} failed and {passed} passed, the report says "
                f"{bad} failed and {totals.passed} passed"
            )
    return None


def _printed_counts(stdout: str, runner: str) -> tuple[int, int] | None:
    pattern = _PYTEST_SUMMARY if runner == "pytest" else _VITEST_SUMMARY
    matches = list(pattern.finditer(stdout))
    if not matches:
        return None
    counts = {"passed": 0, "failed": 0}
    for number, word in _COUNT.findall(matches[-1].group("body")):
        key = "failed" if word.startswith(("failed", "error")) else word
        counts[key] = counts.get(key, 0) + int(number)
    return counts["passed"], counts["failed"]


def not_believed(records: list[TestRecord], reason: str) -> None:
    """Every case of that run becomes an error carrying the reason: no forged pass counts."""
    for record in records:
        record.status = "error"
        record.message = f"verdict not believed: {reason}"


# A test (or its setup hook) writing outside the places the sandbox makes writable.
_DENIED = re.compile(r"EACCES: permission denied, (?:mkdir|open|mkdtemp|copyfile) '[^'\n]{1,120}'")


def environment_problem(record: TestRecord, python_version: str | None) -> EnvProblem | None:
    """An environment reason for a failed/errored case, or None when it is a real verdict."""
    if record.status not in ("failed", "error"):
        return None
    text = f"{record.message or ''}\n{record.details}"
    where = record.file or record.classname or record.name
    found = (python_version or "").rsplit(".", 1)[0] or "this Python"
    if (
        "SyntaxError" in text
        and ("f-string" in text or "invalid syntax" in text)
        and _collection(record)
    ):
        need = "3.12" if "f-string" in text else None
        words = (
            f"needs Python >= {need}, found {found}"
            if need
            else f"does not parse under Python {found}"
        )
        return EnvProblem(kind="interpreter", message=f"{where}: {words}", tests=[where])
    for name, version in _NEWER_NAMES.items():
        if f"cannot import name '{name}'" in text and _older(found, version):
            return EnvProblem(
                kind="interpreter",
                message=f"{where}: needs Python >= {version}, found {found}",
                tests=[where],
            )
    node_export = _NODE_EXPORT.search(text)
    if node_export:
        return EnvProblem(
            kind="interpreter",
            message=f"{where}: needs a newer Node than {python_version or 'this one'} "
            f"(node:{node_export.group(1)} has no export {node_export.group(2)!r})",
            tests=[where],
        )
    missing = _NO_MODULE.search(text)
    if missing and ("ModuleNotFoundError" in text or _collection(record)):
        return EnvProblem(
            kind="import",
            message=f"{where}: module {missing.group(1)!r} is not installed in the test "
            "environment; add it to the test dependencies (or .agentops.yml environment.setup)",
            tests=[where],
        )
    if "cannot load library" in text or "error while loading shared libraries" in text:
        return EnvProblem(kind="import", message=f"{where}: a system library is missing "
                          f"({_first_line(text, 'library')})", tests=[where])  # fmt: skip
    if denied := _DENIED.search(text):
        return EnvProblem(
            kind="sandbox",
            message=f"{where}: writes where the sandbox allows no writes ({denied.group(0)}); "
            "a build step the suite needs (run it in .agentops.yml environment.setup)",
            tests=[where],
        )
    if any(hint in text for hint in _SERVICE_HINTS):
        return EnvProblem(
            kind="service",
            message=f"{where}: needs a network service (the sandbox has none); declare it under "
            "environment.services in .agentops.yml",
            tests=[where],
        )
    return None


def _collection(record: TestRecord) -> bool:
    return (
        "collection failure" in (record.message or "")
        or "ERROR collecting" in record.details
        or (record.classname == "" or record.name.endswith(".py"))
    )


def _older(found: str, needed: str) -> bool:
    try:
        return tuple(map(int, found.split("."))) < tuple(map(int, needed.split(".")))
    except ValueError:
        return False


def _first_line(text: str, word: str) -> str:
    return next((line.strip() for line in text.splitlines() if word in line), "")[:200]
