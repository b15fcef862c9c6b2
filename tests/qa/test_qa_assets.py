"""test_results and qa_scores wired through Dagster: real sandbox run, checks, history, CI drops."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.defs.assets.qa import (
    RULE_CHECKS,
    TestResultsConfig,
    qa_scores,
)
from agentops_pipelines.defs.assets.qa import test_results as results_asset
from agentops_pipelines.defs.assets.specs import raw_spec, spec_document
from agentops_pipelines.links import ci_results_dir
from agentops_pipelines.qa.history import read_history
from agentops_pipelines.qa.score_models import QAScores
from agentops_pipelines.resources.artefact_io import PydanticArtefactIOManager
from agentops_pipelines.resources.spec_source import ArtefactRoot, SpecSource
from agentops_pipelines.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
KEY = "log-search-cli/spec.md"
CI_XML = """<testsuite name="ci" tests="1">
  <testcase classname="ci.follow" name="test_r9_follow_prints_appended_lines" time="0.5"/>
</testsuite>
"""


def _materialize(artefacts: Path, instance: dg.DagsterInstance, **config: object):
    return dg.materialize(
        [raw_spec, spec_document, results_asset, qa_scores],
        partition_key=KEY,
        instance=instance,
        resources={
            "io_manager": PydanticArtefactIOManager(root=str(artefacts)),
            "artefacts": ArtefactRoot(path=str(artefacts)),
            "spec_source": SpecSource(path=str(ROOT / "examples" / "specs")),
        },
        run_config=dg.RunConfig(ops={"test_results": TestResultsConfig(**config)}),  # type: ignore[arg-type]
        raise_on_error=True,
    )


def test_qa_assets_run_the_linked_repo_and_evaluate_rules(agentops_home: Path) -> None:
    artefacts = agentops_home / "artefacts"
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", [KEY])
    result = _materialize(artefacts, instance)
    assert result.success
    store = ArtefactStore(artefacts)
    scores = store.read_model("qa_scores", KEY, QAScores)
    assert scores is not None and scores.completion_score == 0.6
    assert scores.requirement("R1").status == "passing"
    evidence = Path(scores.requirement("R1").tests[0].evidence or "")
    assert evidence.is_file() and evidence.is_relative_to(artefacts / "qa_evidence")

    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert set(RULE_CHECKS) | {"test_results_expectations"} <= set(checks)
    assert checks["test_results_expectations"].passed
    must = checks["qa_rule_must_has_passing_test"]
    assert not must.passed and must.severity == dg.AssetCheckSeverity.ERROR
    assert "R9" in must.metadata["violations"].value
    assert checks["qa_rule_linked_tests_pass"].passed
    assert checks["qa_rule_tests_not_flaky"].severity == dg.AssetCheckSeverity.WARN

    meta = result.asset_materializations_for_node("qa_scores")[0].metadata
    assert meta["completion_score"].value == 0.6 and meta["untested"].value == 5

    # CI drops a JUnit report proving R9; the next run counts it and history grows.
    drop = ci_results_dir(load_settings(), KEY)
    drop.mkdir(parents=True)
    (drop / "follow.xml").write_text(CI_XML)
    _materialize(artefacts, instance)
    scores = store.read_model("qa_scores", KEY, QAScores)
    assert scores is not None and scores.requirement("R9").status == "passing"
    assert scores.requirement("R9").tests[0].origin == "ci"
    assert [round(p.completion_score, 2) for p in read_history(store, KEY)] == [0.6, 0.69]


def test_generated_workspace_is_run_and_skeletons_are_not_evidence(agentops_home: Path) -> None:
    artefacts = agentops_home / "artefacts"
    workspace = agentops_home / "workspace"
    (workspace / "tests" / "agentops").mkdir(parents=True)
    (workspace / "tests" / "agentops" / "test_r9.py").write_text(
        'import pytest\n\n\n@pytest.mark.requirement("R9")\ndef test_r9_ac_1():\n'
        '    pytest.fail("R9 is not implemented yet")\n'
    )
    store = ArtefactStore(artefacts)
    store.write_text(
        "generated_code",
        KEY,
        json.dumps({"workspace": str(workspace), "files_written": ["tests/agentops/test_r9.py"]}),
    )
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", [KEY])
    assert _materialize(artefacts, instance).success
    scores = store.read_model("qa_scores", KEY, QAScores)
    assert scores is not None
    r9 = scores.requirement("R9")
    assert r9.status == "untested" and r9.tests[0].origin == "generated"  # ran, failed, no evidence
    assert scores.requirement("R1").status == "untested"  # the workspace holds no repo tests


def test_no_linked_repo_means_no_run_and_zero_completion(
    agentops_home: Path, tmp_path: Path
) -> None:
    artefacts = agentops_home / "artefacts"
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", [KEY])
    empty = tmp_path / "empty-repo"
    empty.mkdir()
    assert _materialize(artefacts, instance, repo=str(empty)).success
    scores = ArtefactStore(artefacts).read_model("qa_scores", KEY, QAScores)
    assert scores is not None and scores.completion_score == 0.0
    assert {r.status for r in scores.requirements} == {"untested"}
