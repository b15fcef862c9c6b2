"""pytest's own `testpaths` setting, so only the folders the authors run are collected."""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path


def pytest_testpaths(root: Path) -> list[str]:
    for name, section in (
        ("pytest.ini", "pytest"),
        ("tox.ini", "pytest"),
        ("setup.cfg", "tool:pytest"),
    ):
        path = root / name
        if not path.is_file():
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except configparser.Error:
            continue
        if parser.has_section(section):
            return parser.get(section, "testpaths", fallback="").split()
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            return []
        options = ((data.get("tool") or {}).get("pytest") or {}).get("ini_options") or {}
        paths = options.get("testpaths") or []
        return [paths] if isinstance(paths, str) else list(paths)
    return []
