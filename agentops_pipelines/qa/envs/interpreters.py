"""Python interpreters the sandbox's per-run uid can execute, and picking one for a project.

uv is told never to download Python (there is no such network here, and a build must not
depend on it): only interpreters installed on the machine count.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from agentops_pipelines.qa.sandbox.interpreter import world_executable
from agentops_pipelines.settings import get_settings

_NAME = re.compile(r"^python3\.(\d+)$")
SEARCH_DIRS = ("/usr/bin", "/usr/local/bin", "/opt/python/bin")


@functools.cache
def installed_pythons() -> tuple[tuple[Version, str], ...]:
    """(version, path), newest first; one per minor version, system-wide ones only."""
    found: dict[str, tuple[Version, str]] = {}
    dirs = [*SEARCH_DIRS, *get_settings().qa.python_dirs]
    for folder in filter(None, dirs):
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            path = Path(folder) / name
            if not _NAME.match(name) or name in found or not world_executable(path):
                continue
            version = _version(str(path))
            if version is not None:
                found[name] = (version, str(path))
    return tuple(sorted(found.values(), reverse=True))


def _version(path: str) -> Version | None:
    try:
        done = subprocess.run(
            [path, "-I", "-S", "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
            capture_output=True, text=True, timeout=20, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    try:
        return Version(done.stdout.strip()) if done.returncode == 0 else None
    except ValueError:
        return None


def pick_python(requires: str | None, wanted: str | None = None) -> tuple[str, Version, str | None]:
    """The newest interpreter satisfying `requires` (or `wanted`), else the newest one there is
    with a plain-words problem: "needs Python >= 3.12, found 3.11"."""
    pythons = installed_pythons()
    if not pythons:
        raise FileNotFoundError(
            "no system-wide python3.X found in /usr/bin or /usr/local/bin; install one "
            "(apt-get install python3) so repository tests can run"
        )
    spec = _specifier(wanted and f"=={wanted}.*" if wanted and wanted.count(".") == 1 else wanted)
    spec = spec or _specifier(requires)
    if spec is None:
        version, path = pythons[0]
        return path, version, None
    for version, path in pythons:
        if version in spec:
            return path, version, None
    version, path = pythons[0]
    found = ", ".join(f"{v.major}.{v.minor}" for v, _ in pythons)
    return path, version, f"needs Python {_words(spec)}, found {found}"


def _specifier(text: str | None) -> SpecifierSet | None:
    if not text:
        return None
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return None


def _words(spec: SpecifierSet) -> str:
    return ", ".join(f"{s.operator} {s.version}" for s in sorted(spec, key=str))
