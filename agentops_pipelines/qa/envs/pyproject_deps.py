"""Read a Python project's test dependencies from its manifests, without building it.

The project itself is not installed (an editable install would write into the user's repo and
point at the wrong copy); its source folder goes on PYTHONPATH instead and only its dependencies
and test extras/groups are installed.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field

TEST_EXTRAS = ("test", "tests", "testing", "dev", "develop", "development")
REQUIREMENT_FILES = (
    "requirements.txt", "requirements-dev.txt", "requirements-test.txt", "requirements_dev.txt",
    "requirements_test.txt", "dev-requirements.txt", "test-requirements.txt",
    "requirements/base.txt", "requirements/dev.txt", "requirements/test.txt",
    "requirements/tests.txt",
)  # fmt: skip
MANIFESTS = ("pyproject.toml", "uv.lock", "poetry.lock", "setup.py", "setup.cfg", "Pipfile.lock")
_PYTHON_REQUIRES = re.compile(r"python_requires\s*=\s*['\"]([^'\"]+)['\"]")


class PythonProject(BaseModel):
    requires_python: str | None = None
    requirements: list[str] = Field(default_factory=list, description="PEP 508 lines")
    requirement_files: list[str] = Field(default_factory=list, description="repo-relative")
    uv_lock: bool = False
    source: str = Field(default="pyproject", description="where the dependencies came from")


def manifest_files(root: Path) -> list[Path]:
    names = (*MANIFESTS, *REQUIREMENT_FILES)
    return [root / name for name in names if (root / name).is_file()]


def is_python_project(root: Path) -> bool:
    return bool(manifest_files(root))


def read_project(root: Path) -> PythonProject:
    project = PythonProject()
    data: dict = {}
    if (root / "pyproject.toml").is_file():
        try:
            data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            data = {}
    pep621 = data.get("project") or {}
    poetry = (data.get("tool") or {}).get("poetry") or {}
    project.requires_python = pep621.get("requires-python") or _poetry_python(poetry)
    if project.requires_python is None:
        project.requires_python = _setup_python_requires(root)
    project.uv_lock = (root / "uv.lock").is_file() and bool(pep621)
    if pep621:
        project.requirements += list(pep621.get("dependencies") or [])
        extras = pep621.get("optional-dependencies") or {}
        for name in TEST_EXTRAS:
            project.requirements += list(extras.get(name) or [])
        groups = data.get("dependency-groups") or {}
        for name in TEST_EXTRAS:
            project.requirements += _group(groups, name, set())
        project.requirements += _hatch_deps((data.get("tool") or {}).get("hatch") or {})
    elif poetry:
        project.source = "poetry"
        project.requirements += _poetry_deps(poetry.get("dependencies") or {})
        for name, group in (poetry.get("group") or {}).items():
            if name in TEST_EXTRAS:
                project.requirements += _poetry_deps(group.get("dependencies") or {})
        project.requirements += _poetry_deps(poetry.get("dev-dependencies") or {})
    project.requirement_files = [name for name in REQUIREMENT_FILES if (root / name).is_file()]
    if not pep621 and not poetry:
        project.source = "requirements" if project.requirement_files else "setup"
    return project


def _hatch_deps(hatch: dict) -> list[str]:
    """Hatch keeps test tools in its environments: `default` and the test ones (plus their
    `extra-dependencies`); the project's own features come through `features`."""
    envs = hatch.get("envs") or {}
    out: list[str] = []
    for name in ("default", *TEST_EXTRAS):
        env = envs.get(name) or {}
        if isinstance(env, dict):
            for key in ("dependencies", "extra-dependencies"):
                out += [d for d in env.get(key) or [] if isinstance(d, str)]
    return out


def _group(groups: dict, name: str, seen: set[str]) -> list[str]:
    """PEP 735 groups, following {include-group = ...} once each."""
    if name in seen:
        return []
    seen.add(name)
    out: list[str] = []
    for item in groups.get(name) or []:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and "include-group" in item:
            out += _group(groups, item["include-group"], seen)
    return out


def _poetry_python(poetry: dict) -> str | None:
    value = (poetry.get("dependencies") or {}).get("python")
    return _poetry_constraint(value) if isinstance(value, str) else None


def _poetry_deps(deps: dict) -> list[str]:
    out = []
    for name, spec in deps.items():
        if name.lower() == "python":
            continue
        version = spec if isinstance(spec, str) else (spec or {}).get("version", "*")
        out.append(f"{name}{_poetry_constraint(version)}" if version != "*" else name)
    return out


def _poetry_constraint(value: str) -> str:
    """Poetry's ^ and ~ into PEP 440 ranges; anything else passes through."""
    value = value.strip()
    if value.startswith(("^", "~")) and not value.startswith("~="):
        parts = [int(p) if p.isdigit() else 0 for p in value[1:].split(".")]
        base = value[1:]
        if value[0] == "^":
            index = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
        else:
            index = min(1, len(parts) - 1) if len(parts) > 1 else 0
        upper = [*parts[:index], parts[index] + 1]
        return f">={base},<{'.'.join(map(str, upper))}"
    return value if value[:1] in "<>=!~" else f"=={value}"


def _setup_python_requires(root: Path) -> str | None:
    for name in ("setup.cfg", "setup.py"):
        path = root / name
        if path.is_file():
            match = _PYTHON_REQUIRES.search(path.read_text(encoding="utf-8", errors="replace"))
            if match:
                return match.group(1)
    return None
