"""Browser-test plumbing: Debian's Chromium driven by Playwright against `streamlit run`.

Chromium comes from `scripts/install_browser.sh`; Playwright drives it through `executable_path`,
so no Playwright browser download is ever needed. Each test keeps its own seeding and env; this
module only starts/stops the server and the browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parents[1]
APP = PROJECT_ROOT / "streamlit_app" / "app.py"
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


def require_chromium() -> None:
    """Without Chromium a laptop may skip, but CI must not silently lose its browser coverage."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: run `bash scripts/install_browser.sh` (as root) first"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
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


@contextmanager
def streamlit_server(
    env: Mapping[str, str],
    log: Path,
    app: Path = APP,
    port: int | None = None,
    extra_args: tuple[str, ...] = (),
) -> Iterator[str]:
    """Run `streamlit run app` with exactly `env`, yield its base URL once healthy, stop it."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", *extra_args,
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_until_healthy(proc, url, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


@contextmanager
def chromium_page(profile: Path, width: int = 1400, height: int = 1600) -> Iterator[Page]:
    """A page in a persistent Chromium context (profile under the test's tmp_path)."""
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            user_data_dir=str(profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": width, "height": height},
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()
