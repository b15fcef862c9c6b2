"""Generated acceptance tests use the repository's own framework, or none with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentops_pipelines.codegen.js_skeleton import js_skeleton_files
from agentops_pipelines.codegen.test_framework import detect_framework
from agentops_pipelines.codegen.validate import file_problems
from agentops_pipelines.qa.catalogue import Catalogue
from agentops_pipelines.qa.citations import resolve_citations
from agentops_pipelines.qa.test_contexts import contexts_of
from agentops_pipelines.specs.parsing import parse_spec

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "repos"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")


@needs_shared
def test_shared_repos_get_their_own_framework():
    speckit = detect_framework(SHARED / "speckit-community-mgmt")
    assert (speckit.name, speckit.typescript) == ("vitest", True)
    assert "package.json" in speckit.reason
    assert detect_framework(SHARED / "kiro-handbook-generator").name == "pytest"


def test_js_project_without_runner_gets_none_with_reason(tmp_path):
    (tmp_path / "package.json").write_text(json.dumps({"devDependencies": {"mocha": "10"}}))
    framework = detect_framework(tmp_path)
    assert framework.name == "none" and "neither vitest nor jest" in framework.reason
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {"test": "jest --ci"}}))
    assert detect_framework(tmp_path).name == "jest"


@needs_shared
def test_vitest_skeleton_parses_and_links_but_is_todo(tmp_path):
    spec = SHARED / "speckit-community-mgmt" / "specs" / "009-user-directory" / "spec.md"
    doc = parse_spec("specs/009-user-directory/spec.md", spec.read_text())
    req = doc.requirement("US-1")
    framework = detect_framework(SHARED / "speckit-community-mgmt")
    files = js_skeleton_files(doc.spec_id, req, framework)
    ((path, text),) = files.items()
    assert path == "tests/agentops/us_1.test.ts"
    assert 'from "vitest"' in text and "it.todo(" in text and "pytest" not in text
    assert text.count("it.todo(") == len(req.acceptance_criteria)
    assert file_problems(path, text, tmp_path) == []
    target = tmp_path / path
    target.parent.mkdir(parents=True)
    target.write_text(text)
    contexts = contexts_of(target)
    assert any("US-1" in c.text and c.kind == "name" for c in contexts)
    found = resolve_citations(contexts, Catalogue(root=str(tmp_path)))
    assert found and {c.status for c in found} == {"unknown"}  # the ID is read; no spec: no link
