"""Seeded pull requests for benchmarks/pr_review.py: one small, realistic edit per PR over the
sample repos (examples/repos) and the real repos under ../shared/data/repos (used in place,
copied into a temporary git repository by the benchmark, never into the project).

Kinds: harmful = test_removed, behaviour_changed, assert_weakened, requirement_touched;
harmless = refactor (names/annotations/docstrings only), docs_only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared" / "data" / "repos").resolve()
HARMFUL = ("test_removed", "behaviour_changed", "assert_weakened", "requirement_touched")
HARMLESS = ("refactor", "docs_only")

Edit = Callable[[str], str]


@dataclass(frozen=True)
class Source:
    name: str
    path: Path
    implements: str | None = None  # glob over examples/specs keys
    spec_root: str | None = None
    spec_globs: tuple[str, ...] = ("**/*.md",)
    run_tests: bool = True


@dataclass
class Seed:
    source: str
    kind: str
    title: str
    edits: dict[str, Edit] = field(default_factory=dict)

    @property
    def harmful(self) -> bool:
        return self.kind in HARMFUL


SOURCES = {
    "logq": Source("logq", ROOT / "examples/repos/logq", implements="log-search-cli/*"),
    "flagd": Source("flagd", ROOT / "examples/repos/flagd", implements="feature-flags/*"),
    "authmfa": Source("authmfa", ROOT / "examples/repos/authmfa", implements="auth-login-mfa/*"),
    "kiro": Source(
        "kiro",
        SHARED / "kiro-handbook-generator",
        spec_root=".kiro/specs",
        spec_globs=("*/requirements.md",),
        run_tests=False,  # its suite needs its own requirements.txt environment (issue 15)
    ),
    "speckit": Source(
        "speckit",
        SHARED / "speckit-community-mgmt",
        spec_root="specs",
        spec_globs=("*/spec.md",),
        run_tests=False,  # vitest suite: only pytest suites run in the sandbox today
    ),
}


def replace(old: str, new: str, count: int = 1) -> Edit:
    def edit(text: str) -> str:
        if old not in text:
            raise ValueError(f"seed is stale: {old!r} not found")
        return text.replace(old, new, count)

    return edit


def rename_in(function: str, old: str, new: str) -> Edit:
    """Rename a local name inside one Python function (word-bounded, code lines only)."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        start = next(i for i, ln in enumerate(lines) if re.match(rf"\s*def {function}\(", ln))
        indent = len(lines[start]) - len(lines[start].lstrip())
        end = start + 1
        while end < len(lines) and (
            not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
        ):
            end += 1
        body = [re.sub(rf"(?<![\w.]){old}\b", new, ln) for ln in lines[start:end]]
        return "".join(lines[:start] + body + lines[end:])

    return edit


def drop_python_test(name: str) -> Edit:
    """Delete one test function (decorators included) from a module."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        at = next(i for i, ln in enumerate(lines) if re.match(rf"\s*def {name}\(", ln))
        indent = len(lines[at]) - len(lines[at].lstrip())
        start = at
        while start > 0 and lines[start - 1].strip().startswith("@"):
            start -= 1
        end = at + 1
        while end < len(lines) and (
            not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
        ):
            end += 1
        return "".join(lines[:start] + lines[end:])

    return edit


def drop_js_test(title: str) -> Edit:
    """Delete one `it("title", ...)` call, matching its parentheses."""

    def edit(text: str) -> str:
        start = text.index(f'it("{title}"')
        depth, index = 0, start
        while True:
            char = text[index]
            depth += char == "("
            depth -= char == ")"
            index += 1
            if depth == 0 and char == ")":
                break
        end = index + (1 if text[index : index + 1] == ";" else 0)
        return text[:start] + text[end:].lstrip("\n")

    return edit


def append(extra: str) -> Edit:
    return lambda text: text + extra


DOCS = "\n## Notes\n\nSee the spec for the behaviour this project implements.\n"

SEEDS: list[Seed] = [
    # logq (plain spec, R-numbers; code cites its requirements)
    Seed(
        "logq",
        "test_removed",
        "drop the regex test",
        {"tests/test_search.py": drop_python_test("test_pattern_is_a_regular_expression")},
    ),
    Seed(
        "logq",
        "assert_weakened",
        "loosen a count",
        {"tests/test_search.py": replace("assert len(lines) == 3", "assert len(lines) >= 1")},
    ),
    Seed(
        "logq",
        "behaviour_changed",
        "warning now maps to debug",
        {
            "logq/search.py": replace(
                'ALIASES = {"warning": "warn"', 'ALIASES = {"warning": "debug"'
            )
        },
    ),
    Seed(
        "logq",
        "requirement_touched",
        "field values compared stripped",
        {
            "logq/search.py": replace(
                "str(field_value(record, key)) == value",
                "str(field_value(record, key)).strip() == value",
            )
        },
    ),
    Seed(
        "logq",
        "refactor",
        "rename a local in fields_match",
        {"logq/search.py": rename_in("fields_match", "record", "parsed")},
    ),
    Seed("logq", "docs_only", "README notes", {"README.md": append(DOCS)}),
    # flagd (OpenSpec, derived REQ- ids; code cites none: reached through the tests)
    Seed(
        "flagd",
        "test_removed",
        "drop the allow-list test",
        {"tests/test_flags.py": drop_python_test("test_allow_listed_workspace_gets_true")},
    ),
    Seed(
        "flagd",
        "assert_weakened",
        "is True -> is not None",
        {
            "tests/test_flags.py": replace(
                '"production", "anyone", "ws_4821") is True',
                '"production", "anyone", "ws_4821") is not None',
            )
        },
    ),
    Seed(
        "flagd",
        "behaviour_changed",
        "buckets 0-49",
        {
            "flagd/service.py": replace(
                'int.from_bytes(digest[:4], "big") % 100', 'int.from_bytes(digest[:4], "big") % 50'
            )
        },
    ),
    Seed(
        "flagd",
        "requirement_touched",
        "keys trimmed on create",
        {
            "flagd/service.py": replace(
                "        if not KEY.match(key):",
                "        key = key.strip()\n        if not KEY.match(key):",
            )
        },
    ),
    Seed(
        "flagd",
        "refactor",
        "rename a local in stale_flags",
        {"flagd/service.py": rename_in("stale_flags", "stale", "found")},
    ),
    Seed("flagd", "docs_only", "README notes", {"README.md": append(DOCS)}),
    # authmfa (Kiro, REQ-n)
    Seed(
        "authmfa",
        "test_removed",
        "drop the recovery-codes test",
        {"tests/test_auth.py": drop_python_test("test_enrolment_shows_ten_recovery_codes")},
    ),
    Seed(
        "authmfa",
        "assert_weakened",
        "== 10 -> >= 1",
        {
            "tests/test_auth.py": replace(
                'assert len(set(service.enrol("ana@example.test", new_secret()))) == 10',
                'assert len(set(service.enrol("ana@example.test", new_secret()))) >= 1',
            )
        },
    ),
    Seed(
        "authmfa",
        "behaviour_changed",
        "eight recovery codes",
        {"authmfa/service.py": replace("for _ in range(10)]", "for _ in range(8)]")},
    ),
    Seed(
        "authmfa",
        "requirement_touched",
        "scrypt cost doubled",
        {"authmfa/service.py": replace("n=2**12", "n=2**13")},
    ),
    Seed(
        "authmfa",
        "refactor",
        "rename a local in enrol",
        {"authmfa/service.py": rename_in("enrol", "codes", "recovery_codes")},
    ),
    Seed("authmfa", "docs_only", "README notes", {"README.md": append(DOCS)}),
    # kiro-handbook-generator (real Kiro project, 14 specs, ~100 test files)
    Seed(
        "kiro",
        "test_removed",
        "drop a date-format test",
        {"tests/test_per_handbook_metadata.py": drop_python_test("test_invalid_date_format")},
    ),
    Seed(
        "kiro",
        "assert_weakened",
        "== -> truthiness",
        {
            "tests/test_per_handbook_metadata.py": replace(
                'assert handbook.version == "1.0.0"', "assert handbook.version"
            )
        },
    ),
    Seed(
        "kiro",
        "refactor",
        "rename a local in get_role",
        {"src/metadata_config_manager.py": rename_in("get_role", "role_name_lower", "wanted")},
    ),
    Seed("kiro", "docs_only", "README notes", {"README.en.md": append(DOCS)}),
    # speckit-community-mgmt (real spec-kit monorepo, TypeScript + vitest)
    Seed(
        "speckit",
        "test_removed",
        "drop an audit-log test",
        {
            "apps/web/tests/integration/permissions/audit-log.test.ts": drop_js_test(
                "revoke creates an audit entry with action=revoke"
            )
        },
    ),
    Seed("speckit", "docs_only", "README notes", {"README.md": append(DOCS)}),
]
