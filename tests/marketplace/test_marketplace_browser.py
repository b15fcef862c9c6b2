"""Upload -> moderation -> published -> fork, clicked through in headless Chromium against
`streamlit run` (the pattern of tests/ui/test_ui_browser.py)."""

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
from marketplace_factories import template_md
from playwright.sync_api import Page, expect, sync_playwright

from agentops_pipelines.marketplace import catalog, forks
from agentops_pipelines.marketplace.service import marketplace_store

PROJECT_ROOT = Path(__file__).resolve().parents[2]
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[str, str]]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `bash scripts/install_browser.sh` (as root) first"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    home = tmp_path / "home"
    db_url = f"sqlite:///{home / 'app.db'}"
    env = {
        **os.environ,
        "AGENTOPS_HOME": str(home),
        "AGENTOPS_DB_URL": db_url,
        "AGENTOPS_ARTEFACT_ROOT": str(home / "artefacts"),
        "DAGSTER_HOME": str(home / "dagster"),
        "AGENTOPS_MODERATORS": "moderator",
    }
    env.pop("STRIPE_SECRET_KEY", None)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_ROOT / "streamlit_app" / "app.py"),
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
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
                try:
                    if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start:\n{log.read_text()}")
                time.sleep(0.5)
            yield url, db_url
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


def _sign_in(page: Page, user: str) -> None:
    box = page.get_by_role("textbox", name="User", exact=True)
    box.fill(user)
    box.press("Enter")
    expect(box).to_have_value(user)


@pytest.mark.browser
def test_marketplace_browser_upload_moderate_publish_fork(
    app: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    url, db_url = app
    page.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    main = page.get_by_role("main")

    page.goto(f"{url}/marketplace_upload")
    expect(page.get_by_role("heading", name="Upload a template")).to_be_visible()
    _sign_in(page, "ada")
    page.get_by_role("textbox", name="...or paste the markdown").fill(template_md())
    page.get_by_role("button", name="Submit template").click()
    expect(main).to_contain_text("waiting for a moderator")

    page.goto(f"{url}/marketplace_moderation")
    _sign_in(page, "moderator")
    expect(page.get_by_role("heading", name="Queue (1)")).to_be_visible()
    expect(main).to_contain_text("checkout-flow-spec@1.0.0")
    page.get_by_role("textbox", name="Reason").fill("clear and testable")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", name="Queue (0)")).to_be_visible()
    page.screenshot(path=str(tmp_path / "moderation.png"), full_page=True)

    page.goto(f"{url}/marketplace")
    _sign_in(page, "bob")
    expect(main).to_contain_text("Checkout flow spec")
    page.get_by_role("combobox", name="Template").click()
    page.get_by_role("option", name="Checkout flow spec (checkout-flow-spec)").click()
    expect(page.get_by_role("heading", name="Checkout flow spec")).to_be_visible()
    page.get_by_role("button", name="Fork into workspace").click()
    expect(main).to_contain_text("Forked checkout-flow-spec 1.0.0 into workspace 'default'")
    shot = tmp_path / "forked.png"
    page.screenshot(path=str(shot), full_page=True, animations="disabled")
    assert shot.stat().st_size > 10_000

    sf = marketplace_store(db_url)
    assert catalog.get_template(sf, "checkout-flow-spec").status == "published"
    [fork] = forks.list_forks(sf, "default")
    assert (fork.slug, fork.forked_by, fork.upstream_version) == (
        "checkout-flow-spec",
        "bob",
        "1.0.0",
    )
