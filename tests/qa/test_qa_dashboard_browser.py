"""The QA dashboard clicked through once in Debian's headless Chromium, against `streamlit run`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from qa_seed import seed_qa

from tests.browser_support import chromium_page, require_chromium, streamlit_server

TIMEOUT_MS = 60_000


@pytest.fixture
def dashboard_url(tmp_path: Path) -> Iterator[str]:
    require_chromium()
    home = tmp_path / "home"
    env = {
        **os.environ,
        "AGENTOPS_HOME": str(home),
        "AGENTOPS_ARTEFACT_ROOT": str(seed_qa(home / "artefacts")),
        "DAGSTER_HOME": str(home / "dagster"),
    }
    with streamlit_server(env, tmp_path / "streamlit.log") as url:
        yield url


@pytest.mark.browser
def test_qa_dashboard_in_chromium(dashboard_url: str, tmp_path: Path) -> None:
    with chromium_page(tmp_path / "profile", height=2000) as page:
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        page.goto(f"{dashboard_url}/qa")
        expect(page.get_by_role("heading", name="QA dashboard")).to_be_visible()
        main = page.get_by_role("main")
        expect(main).to_contain_text("Spec Completion Score")
        expect(main).to_contain_text("60%")
        expect(page.locator(".js-plotly-plot")).to_have_count(2)
        expect(main).to_contain_text("Risk heat map")
        page.get_by_role("combobox", name="Evidence for requirement").click()
        page.get_by_role("option", name="R9", exact=True).click()
        expect(main).to_contain_text("R9 has no linked test")
        shot = tmp_path / "qa.png"
        page.screenshot(path=str(shot), full_page=True, animations="disabled")
        assert shot.stat().st_size > 10_000
