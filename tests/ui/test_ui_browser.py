"""The key Specs flow clicked through once in Debian's headless Chromium, against `streamlit run`.

The server and browser plumbing lives in tests/browser_support.py (and the `page` fixture in
tests/conftest.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from ui_seed import (
    APP_DIR,
    REQUIREMENT_WITHOUT_CRITERIA,
    SEEDED_TITLES,
    SPEC_WITHOUT_CRITERIA,
)

from tests import browser_support
from tests.browser_support import require_chromium, streamlit_server

UI_TIMEOUT_MS = 60_000


@pytest.fixture
def streamlit_url(seeded_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    require_chromium()
    env = {**os.environ, **seeded_env}
    with streamlit_server(env, tmp_path / "streamlit.log", APP_DIR / "app.py") as url:
        yield url


@pytest.mark.browser
def test_ui_browser_specs_flow(streamlit_url: str, page: Page, tmp_path: Path) -> None:
    page.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    page.goto(streamlit_url)
    expect(page.get_by_role("heading", name="Specs", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=SEEDED_TITLES[0])).to_be_visible()
    picker = page.get_by_role("combobox", name="Spec", exact=True)
    expect(picker).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("commit 01234567 by Ada")
    expect(main).to_contain_text("PASS spec_parses: 3 requirements parsed")
    page.screenshot(path=str(tmp_path / "specs_overview.png"), full_page=True)

    # The table is drawn on a canvas; the spec picker lists every seeded title as text.
    picker.click()
    for title in SEEDED_TITLES:
        expect(page.get_by_role("option", name=title)).to_be_visible()
    page.get_by_role("option", name=f"Team invitations ({SPEC_WITHOUT_CRITERIA})").click()

    expect(page.get_by_role("heading", name="Team invitations")).to_be_visible()
    warning = main.get_by_role("alert").filter(has_text="acceptance_criteria_present")
    expect(warning).to_contain_text("WARN acceptance_criteria_present: 1 of 2 requirements")
    expect(warning).to_contain_text(REQUIREMENT_WITHOUT_CRITERIA)

    page.get_by_role("tab", name="Requirements").click()
    page.get_by_text(f"{REQUIREMENT_WITHOUT_CRITERIA} · Expire invitations").click()
    expect(main).to_contain_text(f"{REQUIREMENT_WITHOUT_CRITERIA} has no acceptance criteria")
    expect(main.get_by_text("How long before an invitation expires?")).to_be_visible()

    shot = tmp_path / "specs_detail.png"
    page.screenshot(path=str(shot), full_page=True, animations="disabled")
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), (None, pytest.skip.Exception)]
)
def test_ui_missing_chromium_fails_in_ci_and_skips_elsewhere(
    ci: str | None, outcome: type[BaseException], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser_support, "CHROMIUM", tmp_path / "no-chromium")
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="install_browser.sh"):
        require_chromium()
