"""The SpecGPT flow clicked through once in headless Chromium against `streamlit run`:
ask -> cited answer; accept a suggestion -> spec file changed -> the spec sensor's plan picks the
changed spec up and a new raw_spec/spec_document materialisation is made through Dagster.

The spec workspace holds two sample specs, ingested through Dagster's spec_ingest_job and indexed
with real MiniLM embeddings (the page's default hybrid search).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from assistant_home import build_home, point_env_at
from playwright.sync_api import Page, expect

from agentops_pipelines.artefacts import ArtefactStore
from agentops_pipelines.settings import load_settings
from agentops_pipelines.specs.models import SpecDocument
from tests.browser_support import require_chromium, streamlit_server

SPECS = ["log-search-cli/spec.md", "team-invitations/spec.md"]
CHANGED = "log-search-cli/spec.md"
UI_TIMEOUT_MS = 90_000
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def ingest_changed_specs() -> list[str]:
    """What the spec sensor would launch, run in process: spec_ingest_job per changed spec."""
    from agentops_pipelines.definitions import defs
    from agentops_pipelines.defs.partitions import SPEC_PARTITIONS_NAME
    from agentops_pipelines.defs.sensors.spec_source import plan_for
    from agentops_pipelines.resources.spec_source import SpecSource

    settings = load_settings()
    instance = dg.DagsterInstance.get()
    plan = plan_for(instance, None, SpecSource(path=str(settings.specs_path)))
    if plan.add_partitions:
        instance.add_dynamic_partitions(SPEC_PARTITIONS_NAME, plan.add_partitions)
    job = defs().resolve_job_def("spec_ingest_job")
    for key, _digest in plan.runs:
        result = job.execute_in_process(partition_key=key, instance=instance, run_config=QUIET)
        assert result.success, key
    return [key for key, _ in plan.runs]


def raw_spec_materialisations(key: str) -> int:
    records = dg.DagsterInstance.get().fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey("raw_spec"), asset_partitions=[key]), limit=10
    )
    return len(records.records)


@pytest.fixture
def browser_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    require_chromium()
    home = tmp_path / "agentops"
    point_env_at(home, monkeypatch, "hybrid")
    monkeypatch.delenv("AGENTOPS_SPECGPT_SEARCH_MODE")
    (home / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    build_home(home, SPECS, embed=True)  # workspace files + the hybrid index
    assert sorted(ingest_changed_specs()) == SPECS  # Dagster writes the spec documents
    return {k: v for k, v in os.environ.items() if k.startswith(("AGENTOPS_", "DAGSTER_"))}


@pytest.fixture
def streamlit_url(browser_home: dict[str, str], tmp_path: Path) -> Iterator[str]:
    env = {**os.environ, **browser_home}
    with streamlit_server(env, tmp_path / "streamlit.log") as url:
        yield url


@pytest.mark.browser
def test_assistant_browser_ask_then_accept_flow(
    streamlit_url: str, page: Page, browser_home: dict[str, str], tmp_path: Path
) -> None:
    page.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    page.goto(f"{streamlit_url}/specgpt")
    expect(page.get_by_role("heading", name="SpecGPT", exact=True)).to_be_visible()
    main = page.get_by_role("main")

    # Ask -> an answer whose claim cites the spec section, with a click-through link.
    page.get_by_label("Question").fill("How many invitations can a workspace send per day?")
    page.get_by_role("button", name="Ask").click()
    expect(main).to_contain_text("200 invitations per 24 hours")
    link = main.get_by_role("link", name="team-invitations/spec.md §").first
    expect(link).to_have_attribute(
        "href", re.compile(r"^/specgpt\?spec=team-invitations%2Fspec\.md&at=REQ-")
    )
    page.screenshot(path=str(tmp_path / "specgpt_ask.png"), full_page=True)

    # Click-through: the cited spec opens selected, its text shown with the findings marked.
    page.goto(streamlit_url + (link.get_attribute("href") or ""))
    picker = page.get_by_role("combobox", name="Spec", exact=True)
    expect(picker).to_have_value("team-invitations Specification (team-invitations/spec.md)")

    # Pick the spec with planted gaps, generate suggestions, accept the first one.
    picker.click()
    page.get_by_role("option", name=f"logq: log search command-line tool ({CHANGED})").click()
    page.get_by_role("tab", name="Findings").click()
    expect(main).to_contain_text("missing_acceptance_criteria: R5 has no acceptance criteria")
    page.get_by_role("tab", name="Suggestions").click()
    page.get_by_role("button", name="Generate suggestions").click()
    expect(main).to_contain_text("Add acceptance criteria to R5")
    page.get_by_role("button", name="Accept").first.click()
    expect(main).to_contain_text("Accepted #1")
    page.screenshot(path=str(tmp_path / "specgpt_accept.png"), full_page=True)

    # The spec file changed in the workspace; the sensor's plan sees only that spec, and the
    # Dagster run materialises a new raw_spec/spec_document partition with the new criteria.
    spec_file = Path(browser_home["AGENTOPS_SPECS_PATH"]) / CHANGED
    assert "Given the preconditions of R5 hold" in spec_file.read_text()
    assert raw_spec_materialisations(CHANGED) == 1
    assert ingest_changed_specs() == [CHANGED]
    assert raw_spec_materialisations(CHANGED) == 2
    doc = ArtefactStore(Path(browser_home["AGENTOPS_ARTEFACT_ROOT"])).read_model(
        "spec_document", CHANGED, SpecDocument
    )
    assert doc is not None and len(doc.requirement("R5").acceptance_criteria) == 2
    assert doc.diff is not None and doc.diff.changed == ["R5"]
