"""`logq [OPTIONS] PATTERN [PATH ...]`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from logq.search import (
    at_least,
    compile_pattern,
    fields_match,
    in_window,
    parse_when,
    read_lines,
    render,
)


def main(argv: list[str] | None = None, stdin=None, stdout=None) -> int:
    parser = argparse.ArgumentParser(prog="logq")
    parser.add_argument("pattern")
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("-i", action="store_true", dest="ignore_case")
    parser.add_argument("--since")
    parser.add_argument("--until")
    parser.add_argument("--level")
    parser.add_argument("--field", action="append", default=[])
    parser.add_argument("--output", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    out = stdout or sys.stdout
    now = datetime.now(UTC)
    since = parse_when(args.since, now) if args.since else None
    until = parse_when(args.until, now) if args.until else None
    fields = [tuple(f.split("=", 1)) for f in args.field]
    pattern = compile_pattern(args.pattern, args.ignore_case)
    matched = 0
    for line in read_lines(args.paths, stdin):
        if not pattern.search(line.text):
            continue
        if not in_window(line.text, since, until):
            continue
        if args.level and not at_least(line.text, args.level):
            continue
        if not fields_match(line.text, fields):
            continue
        matched += 1
        print(render(line, args.output), file=out)
    return 0 if matched else 1
