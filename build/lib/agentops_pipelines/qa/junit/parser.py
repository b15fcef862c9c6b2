"""Parse a JUnit XML report (any common dialect) into `TestReport`.

Reports come from generated code and foreign CI, so they are untrusted input: defusedxml refuses
entity expansion and external references, and nothing is fetched from the network.
"""

from __future__ import annotations

import math
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from agentops_pipelines.qa.junit.models import (
    CaseResult,
    JUnitFormatError,
    JUnitProperty,
    Rerun,
    SuiteResult,
    TestReport,
    TestStatus,
    Totals,
)

MAX_REPORT_BYTES = 256 * 1024 * 1024
DETAILS_LIMIT = 8_000
OUTPUT_LIMIT = 4_000
_RERUN_TAGS = ("flakyFailure", "flakyError", "rerunFailure", "rerunError")


def parse_junit(path_or_bytes: Path | str | bytes, source_name: str | None = None) -> TestReport:
    """Read a report from a path or raw bytes; `source_name` names it in results and errors."""
    data, name = _read(path_or_bytes, source_name)
    if not data.strip():
        raise JUnitFormatError(f"{name}: the file is empty; expected a JUnit XML report")
    try:
        root = fromstring(data)
    except DefusedXmlException as exc:
        raise JUnitFormatError(
            f"{name}: refused unsafe XML ({type(exc).__name__}); JUnit reports need no DTD entities"
        ) from exc
    except ParseError as exc:
        raise JUnitFormatError(
            f"{name}: not well-formed XML ({exc}); is the file truncated?"
        ) from exc
    tag = _local(root.tag)
    if tag == "testsuites":
        top = [child for child in root if _local(child.tag) == "testsuite"]
    elif tag == "testsuite":
        top = [root]
    else:
        raise JUnitFormatError(
            f"{name}: root element is <{tag}>, expected <testsuites> or <testsuite>; "
            "this is not a JUnit XML report (NUnit, failsafe-summary and build files are not)"
        )
    suites: list[SuiteResult] = []
    for element in top:
        _collect_suites(element, None, suites)
    declared = _int(root.get("tests"))
    if declared is None and top and all(_int(s.get("tests")) is not None for s in top):
        declared = sum(_int(s.get("tests")) or 0 for s in top)
    return TestReport(
        source_name=name,
        name=root.get("name"),
        suites=suites,
        totals=_totals(suites),
        declared_tests=declared,
    )


def _read(path_or_bytes: Path | str | bytes, source_name: str | None) -> tuple[bytes, str]:
    """Accept both forms so callers can parse evidence files and webhook payloads alike."""
    if isinstance(path_or_bytes, bytes):
        data, name = path_or_bytes, source_name or "<bytes>"
    else:
        path = Path(path_or_bytes)
        name = source_name or str(path)
        try:
            if path.stat().st_size > MAX_REPORT_BYTES:
                raise JUnitFormatError(f"{name}: larger than {MAX_REPORT_BYTES} bytes; split it")
            data = path.read_bytes()
        except OSError as exc:
            raise JUnitFormatError(f"{name}: cannot read the report ({exc.strerror})") from exc
    if len(data) > MAX_REPORT_BYTES:
        raise JUnitFormatError(f"{name}: larger than {MAX_REPORT_BYTES} bytes; split it")
    return data, name


def _collect_suites(element: Element, parent: str | None, out: list[SuiteResult]) -> None:
    """Flatten nested suites (phpunit nests them) while remembering the parent's name."""
    name = element.get("name") or (parent or "")
    suite = SuiteResult(
        name=name,
        parent=parent,
        file=element.get("file"),
        timestamp=element.get("timestamp"),
        time=_seconds(element.get("time")),
        declared_tests=_int(element.get("tests")),
        properties=_properties(element),
        system_out=_text_of(element, "system-out", OUTPUT_LIMIT, tail=True),
        system_err=_text_of(element, "system-err", OUTPUT_LIMIT, tail=True),
    )
    out.append(suite)
    for child in element:
        tag = _local(child.tag)
        if tag == "testcase":
            suite.cases.append(_case(child, suite))
        elif tag == "testsuite":
            _collect_suites(child, name, out)


def _case(element: Element, suite: SuiteResult) -> CaseResult:
    status: TestStatus = "passed"
    outcome: Element | None = None
    reruns: list[Rerun] = []
    for child in element:
        tag = _local(child.tag)
        if tag in _RERUN_TAGS:
            reruns.append(_rerun(tag, child))
        elif outcome is None and tag in ("failure", "error", "skipped"):
            outcome = child
            status = _status(tag, child)
    return CaseResult(
        suite=suite.name,
        classname=element.get("classname") or "",
        name=element.get("name") or "",
        file=element.get("file") or suite.file,
        line=_int(element.get("line")),
        time=_seconds(element.get("time")),
        status=status,
        message=outcome.get("message") if outcome is not None else None,
        failure_type=outcome.get("type") if outcome is not None else None,
        details=_trim(outcome.text if outcome is not None else None, DETAILS_LIMIT),
        properties=_properties(element),
        system_out=_text_of(element, "system-out", OUTPUT_LIMIT, tail=True),
        system_err=_text_of(element, "system-err", OUTPUT_LIMIT, tail=True),
        reruns=reruns,
    )


def _status(tag: str, element: Element) -> TestStatus:
    """pytest writes an expected failure as <skipped type="pytest.xfail">; keep it apart."""
    if tag == "failure":
        return "failed"
    if tag == "error":
        return "error"
    return "xfail" if (element.get("type") or "").endswith("xfail") else "skipped"


def _rerun(tag: str, element: Element) -> Rerun:
    return Rerun(
        kind=tag,  # type: ignore[arg-type]
        message=element.get("message"),
        type=element.get("type"),
        stack_trace=_text_of(element, "stackTrace", DETAILS_LIMIT)
        or _trim(element.text, DETAILS_LIMIT),
        system_out=_text_of(element, "system-out", OUTPUT_LIMIT, tail=True),
        system_err=_text_of(element, "system-err", OUTPUT_LIMIT, tail=True),
    )


def _properties(element: Element) -> list[JUnitProperty]:
    found: list[JUnitProperty] = []
    for block in element:
        if _local(block.tag) != "properties":
            continue
        for prop in block:
            if _local(prop.tag) == "property" and prop.get("name"):
                value = prop.get("value")
                found.append(
                    JUnitProperty(
                        name=prop.get("name", ""),
                        value=value if value is not None else _trim(prop.text, OUTPUT_LIMIT),
                    )
                )
    return found


def _totals(suites: list[SuiteResult]) -> Totals:
    totals = Totals()
    for case in (case for suite in suites for case in suite.cases):
        totals.tests += 1
        totals.time += case.time
        totals.reruns += len(case.reruns)
        totals.flaky += int(case.flaky)
        if case.status == "error":
            totals.errors += 1
        else:
            setattr(totals, case.status, getattr(totals, case.status) + 1)
    return totals


def _text_of(element: Element, tag: str, limit: int, tail: bool = False) -> str:
    for child in element:
        if _local(child.tag) == tag:
            return _trim(child.text, limit, tail)
    return ""


def _trim(text: str | None, limit: int, tail: bool = False) -> str:
    """Bound every text field: a chatty test must not make the evidence model huge."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    return "…" + text[-limit:] if tail else text[:limit] + "…"


def _local(tag: object) -> str:
    """Drop an XML namespace, if a tool added one, so tags compare by local name."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _seconds(value: str | None) -> float:
    """Tools write '1,234.5', '' or nonsense; a duration is never negative or infinite."""
    try:
        seconds = float((value or "0").replace(",", ""))
    except ValueError:
        return 0.0
    return seconds if math.isfinite(seconds) and seconds > 0 else 0.0
