"""QA artefacts for the dashboard tests, produced by the real pipeline on a sample repo."""

from __future__ import annotations

from pathlib import Path

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.qa.history import append_history
from agentops_pipelines.qa.pipeline import evaluate, load_spec_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPEC_KEY = "log-search-cli/spec.md"


def seed_qa(artefacts: Path) -> Path:
    """Two sandboxed runs of examples/repos/logq: scores, results and a two-point history."""
    store = ArtefactStore(artefacts)
    doc = load_spec_file(PROJECT_ROOT / "examples" / "specs" / SPEC_KEY)
    doc.spec_id = SPEC_KEY
    previous = None
    for run in range(2):
        evidence = artefacts / "qa_evidence" / f"run{run}"
        results, scores = evaluate(
            doc, evidence, repo=PROJECT_ROOT / "examples" / "repos" / "logq", previous=previous
        )
        store.write_model("test_results", SPEC_KEY, results)
        store.write_model("qa_scores", SPEC_KEY, scores)
        append_history(store, SPEC_KEY, scores)
        previous = scores
    return artefacts
