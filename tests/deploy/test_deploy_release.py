"""`make sbom`: a CycloneDX document of exactly the runtime pins in uv.lock."""

from __future__ import annotations

import json
import os
import subprocess
import tomllib

from tests.conftest import PROJECT_ROOT


def test_sbom_lists_the_locked_runtime_dependencies(tmp_path) -> None:
    env = os.environ | {"DIST": str(tmp_path)}
    done = subprocess.run(
        ["bash", "scripts/release.sh", "sbom"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["version"]
    bom = json.loads((tmp_path / f"agentops-{version}.cdx.json").read_text())
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    assert bom["metadata"]["component"]["name"] == "agentops"
    components = {c["name"].lower(): c for c in bom["components"]}
    pins = {}
    for line in (tmp_path / "requirements.lock.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, pin = line.split(";")[0].strip().split("==")
            pins[name.lower()] = pin
    assert len(pins) > 100 and set(pins) == set(components)
    assert components["dagster"]["version"] == pins["dagster"] == "1.13.27"
    assert components["dagster-celery"]["purl"] == "pkg:pypi/dagster-celery@0.29.27"
    assert "pytest" not in components  # dev tools are not shipped in the images
