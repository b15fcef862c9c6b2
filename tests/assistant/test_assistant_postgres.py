"""SpecGPT's tables and human-in-the-loop flow on real PostgreSQL (same code and migrations)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agentops_pipelines.assistant import feedback, review, safety, suggestion_store
from agentops_pipelines.assistant.suggest import propose
from agentops_pipelines.assistant.usage import UsageEntry, log_usage, usage_summary
from agentops_pipelines.settings import BUNDLED_SPECS
from agentops_pipelines.specs.parsing.parse import parse_spec
from agentops_pipelines.store.db import open_store

pytestmark = pytest.mark.postgres
SPEC = "log-search-cli/spec.md"


def test_assistant_review_flow_on_postgres(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sf = open_store(pg_url)
    specs = tmp_path / "specs"
    (specs / "log-search-cli").mkdir(parents=True)
    shutil.copy(BUNDLED_SPECS / SPEC, specs / SPEC)
    text = (specs / SPEC).read_text()
    drafted = propose(parse_spec(SPEC, text), text)
    ids = suggestion_store.save_proposals(sf, drafted, workspace="default", user="ada")
    assert suggestion_store.save_proposals(sf, drafted, workspace="default", user="ada") == ids
    review.accept(sf, ids[0], "grace", specs)
    review.reject(sf, ids[1], "grace", "too generic")
    assert "Given the preconditions of R5" in (specs / SPEC).read_text()
    (rate,) = feedback.acceptance_rates(sf)
    assert (rate.accepted, rate.rejected, rate.rate) == (1, 1, 0.5)
    monkeypatch.setenv("AGENTOPS_SPECGPT_RATE_PER_MINUTE", "1")
    log_usage(sf, UsageEntry(workspace="default", user="ada", feature="ask", outcome="answered"))
    with pytest.raises(safety.SpecGPTRefusal, match="limit 1"):
        safety.check_rate(sf, "ada")
    safety.check_rate(sf, "bob")
    assert usage_summary(sf)[0]["requests"] == 1


def test_assistant_git_accept_on_postgres(pg_url: str, tmp_path: Path) -> None:
    """Accept through the Git approval flow: proposal upserted, suggestion pending, file kept."""
    from agentops_pipelines.assistant.git_accept import propose_accept
    from agentops_pipelines.gitops.changes.proposals import get_proposal
    from agentops_pipelines.gitops.links.repo_links import RepoLink

    sf = open_store(pg_url)
    specs = tmp_path / "specs"
    (specs / "log-search-cli").mkdir(parents=True)
    shutil.copy(BUNDLED_SPECS / SPEC, specs / SPEC)
    text = (specs / SPEC).read_text()
    [first, *_] = suggestion_store.save_proposals(
        sf, propose(parse_spec(SPEC, text), text), workspace="default", user="ada"
    )
    link = RepoLink(repo="acme/specs", remote_url="/nowhere.git", implements="log-search-cli/*")
    outcome = propose_accept(sf, first, "grace", specs, link)
    assert (specs / SPEC).read_text() == text
    proposal = get_proposal(sf, outcome.proposal_id or 0)
    assert proposal.files[0].path == SPEC and "Given the preconditions" in proposal.diff
    [pending] = suggestion_store.list_suggestions(sf, SPEC, status="pending_approval")
    assert (pending.proposal_id, pending.proposal_status) == (proposal.id, "proposed")
