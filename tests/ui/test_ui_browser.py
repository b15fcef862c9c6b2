"""The key Specs flow clicked through once in Debian's headless Chromium, against `streamlit run`.

Chromium comes from `scripts/install_browser.sh`; Playwright drives it through `executable_path`,
so no Playwright browser download is ever needed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright
from ui_seed import (
    APP_DIR,
    PROJECT_ROOT,
    REQUIREMENT_WITHOUT_CRITERIA,
    SEEDED_TITLES,
    SPEC_WITHOUT_CRITERIA,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
STARTUP_SECONDS = 90
UI_TIMEOUT_MS = 60_000


def _require_chromium() -> None:
    """Without Chromium a laptop may skip, but CI must not silently lose its browser coverage."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: run `bash scripts/install_browser.sh` (as root) first"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Poll the health endpoint; a server that died early fails fast with its own log."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit did not answer on {url} in {STARTUP_SECONDS}s:\n{log.read_text()}")


@pytest.fixture
def streamlit_url(seeded_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    _require_chromium()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_DIR / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env={**os.environ, **seeded_env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_healthy(proc, url, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1600},
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


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
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="install_browser.sh"):
        _require_chromium()
