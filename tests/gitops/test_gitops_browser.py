"""The approval flow clicked through once in headless Chromium against `streamlit run`:
a reviewer approves a proposed change on the Git page; the branch lands in a bare repository
and the PR on the local GitHub."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from gitops_fake_github import REPO, TOKEN, FakeGitHub
from gitops_repos import bare_repo, git
from playwright.sync_api import expect, sync_playwright

from agentops_pipelines.gitops.proposals import ProposedChange, ProposedFile, upsert_proposal
from agentops_pipelines.gitops.repo_links import RepoLink, save_link
from agentops_pipelines.store.db import open_store

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic"]
BRANCH = "agentops/billing-spec/tasks-checklist"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit did not start:\n{log.read_text()}")


@pytest.mark.browser
def test_gitops_browser_approve_pushes_and_opens_pr(tmp_path: Path, server, fake: FakeGitHub):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/install_browser.sh` first")
        pytest.skip(f"{CHROMIUM} is missing")
    home = tmp_path / "home"
    env = {
        "AGENTOPS_HOME": str(home),
        "AGENTOPS_DB_URL": f"sqlite:///{home / 'app.db'}",
        "DAGSTER_HOME": str(home / "dagster"),
        "AGENTOPS_GITHUB_TOKEN": TOKEN,
        "AGENTOPS_GITHUB_API_URL": server[0],
    }
    bare = bare_repo(tmp_path, "shop", {"README.md": "# shop\n"})
    fake.git_dir = bare
    sessions = open_store(env["AGENTOPS_DB_URL"])
    save_link(sessions, RepoLink(repo=REPO, remote_url=str(bare), implements="*"))
    upsert_proposal(
        sessions,
        ProposedChange(
            spec_id="billing/spec.md",
            repo=REPO,
            base="main",
            branch=BRANCH,
            title="AgentOps: task checklist for billing/spec.md",
            source="plan_checklist",
            task_ids=["T-1"],
            files=[ProposedFile(path="docs/tasks.md", content="- [ ] T-1\n")],
            diff="--- /dev/null\n+++ b/docs/tasks.md\n+- [ ] T-1\n",
        ),
    )
    port = _port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "streamlit_app" / "app.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env={**os.environ, **env}, stdout=out, stderr=out
        )
        try:
            _wait(proc, url, log)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
                )
                page = browser.new_page(viewport={"width": 1400, "height": 1600})
                page.set_default_timeout(60_000)
                expect.set_options(timeout=60_000)
                page.goto(f"{url}/git")
                expect(page.get_by_role("heading", name="Git", exact=True)).to_be_visible()
                main = page.get_by_role("main")
                expect(main).to_contain_text("+- [ ] T-1")
                page.get_by_label("Reviewer").fill("ana")
                page.get_by_label("Reason (required)").fill("checklist is right")
                page.get_by_role("button", name="Approve and push").click()
                expect(main).to_contain_text("is now pushed")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    assert [p["head"]["ref"] for p in fake.pulls] == [BRANCH]
    assert git(tmp_path, "--git-dir", str(bare), "show", f"{BRANCH}:docs/tasks.md") == "- [ ] T-1"
    assert TOKEN not in log.read_text()
