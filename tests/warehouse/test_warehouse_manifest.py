"""The dbt manifest is prepared once: a fresh one is never re-parsed (no subprocess at import)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from agentops_pipelines.warehouse import DBT_PROJECT_DIR
from agentops_pipelines.warehouse import manifest as m


def _copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "dbt_metrics"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    return project


def test_fresh_manifest_runs_no_subprocess(tmp_path, monkeypatch) -> None:
    project = _copy_project(tmp_path)
    (project / "target").mkdir()
    (project / "target" / "manifest.json").write_text("{}")
    assert not m.manifest_is_stale(project / "target" / "manifest.json", project)

    def refuse(*_a, **_k):
        raise AssertionError("dbt parse ran although the manifest is fresh")

    monkeypatch.setattr(subprocess, "run", refuse)
    assert m.parse_manifest(project) == project / "target" / "manifest.json"


def test_an_edited_model_makes_the_manifest_stale_and_parse_rebuilds_it(tmp_path) -> None:
    project = _copy_project(tmp_path)
    manifest = project / "target" / "manifest.json"
    assert m.manifest_is_stale(manifest, project)  # missing
    m.parse_manifest(project)
    assert manifest.stat().st_size > 1000 and not m.manifest_is_stale(manifest, project)
    model = next((project / "models").rglob("*.sql"))
    later = manifest.stat().st_mtime + 5
    os.utime(model, (later, later))
    assert m.manifest_is_stale(manifest, project)


def test_a_broken_project_names_the_fix(tmp_path) -> None:
    project = _copy_project(tmp_path)
    (project / "dbt_project.yml").write_text("name: [unclosed\n")
    with pytest.raises(RuntimeError, match="make manifest"):
        m.parse_manifest(project)
