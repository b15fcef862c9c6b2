"""Line sources, filters and output for logq."""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

LEVELS = {"debug": 10, "info": 20, "warn": 30, "error": 40}
ALIASES = {"warning": "warn", "fatal": "error", "critical": "error"}
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)")
_DURATION = re.compile(r"^(\d+)([smhd])$")


@dataclass(frozen=True)
class Line:
    file: str
    number: int
    text: str


def open_text(path: Path) -> TextIO:
    """Read .gz files transparently (R8)."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")


def iter_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path


def read_lines(paths: list[Path], stdin: TextIO | None = None) -> Iterator[Line]:
    """Every line of every file (recursing into folders); standard input when no path (R1)."""
    if not paths:
        source = stdin or sys.stdin
        for number, text in enumerate(source, start=1):
            yield Line("-", number, text.rstrip("\n"))
        return
    for path in iter_files(paths):
        with open_text(path) as handle:
            for number, text in enumerate(handle, start=1):
                yield Line(str(path), number, text.rstrip("\n"))


def compile_pattern(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def parse_json(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def timestamp_of(text: str) -> datetime | None:
    record = parse_json(text)
    raw = None
    if record is not None:
        raw = next((record[k] for k in ("ts", "time", "@timestamp") if k in record), None)
    else:
        match = _ISO_PREFIX.match(text)
        raw = match.group(1) if match else None
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_when(value: str, now: datetime) -> datetime:
    match = _DURATION.match(value)
    if match:
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[match.group(2)]
        return now - timedelta(**{unit: int(match.group(1))})
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def in_window(text: str, since: datetime | None, until: datetime | None) -> bool:
    """Lines without a timestamp are skipped once a window is set (R3)."""
    if since is None and until is None:
        return True
    moment = timestamp_of(text)
    if moment is None:
        return False
    return (since is None or moment >= since) and (until is None or moment < until)


def level_of(text: str) -> str | None:
    record = parse_json(text)
    raw = str(record.get("level", "")) if record else ""
    if not raw:
        match = re.search(r"\b(DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL|CRITICAL)\b", text, re.I)
        raw = match.group(1) if match else ""
    raw = raw.lower()
    return ALIASES.get(raw, raw) or None


def at_least(text: str, minimum: str) -> bool:
    level = level_of(text)
    wanted = ALIASES.get(minimum.lower(), minimum.lower())
    return level is not None and LEVELS.get(level, 0) >= LEVELS[wanted]


def field_value(record: dict, dotted: str) -> object:
    value: object = record
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def fields_match(text: str, fields: list[tuple[str, str]]) -> bool:
    """All KEY=VALUE pairs must match exactly, nested keys with dots (R5)."""
    if not fields:
        return True
    record = parse_json(text)
    if record is None:
        return False
    return all(str(field_value(record, key)) == value for key, value in fields)


def render(line: Line, output: str) -> str:
    if output == "json":
        return json.dumps({"file": line.file, "line": line.number, "text": line.text})
    return f"{line.file}:{line.number}: {line.text}"
