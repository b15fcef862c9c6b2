"""The QA dashboard clicked through once in Debian's headless Chromium, against `streamlit run`."""

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
from playwright.sync_api import expect, sync_playwright
from qa_seed import PROJECT_ROOT, seed_qa

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dashboard_url(tmp_path: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `bash scripts/install_browser.sh` (as root) first"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    home = tmp_path / "home"
    env = {
        **os.environ,
        "AGENTOPS_HOME": str(home),
        "AGENTOPS_ARTEFACT_ROOT": str(seed_qa(home / "artefacts")),
        "DAGSTER_HOME": str(home / "dagster"),
    }
    port = _port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_app/app.py",
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
        proc = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + 90
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start:\n{log.read_text()}")
                try:
                    if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


@pytest.mark.browser
def test_qa_dashboard_in_chromium(dashboard_url: str, tmp_path: Path) -> None:
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            viewport={"width": 1400, "height": 2000},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
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
        finally:
            context.close()
