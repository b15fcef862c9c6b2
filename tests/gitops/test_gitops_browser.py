"""The approval flow clicked through once in headless Chromium against `streamlit run`:
a reviewer approves a proposed change on the Git page; the branch lands in a bare repository
and the PR on the local GitHub."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gitops_fake_github import REPO, TOKEN, FakeGitHub
from gitops_repos import bare_repo, git
from playwright.sync_api import expect

from agentops_pipelines.gitops.changes.proposals import (
    ProposedChange,
    ProposedFile,
    upsert_proposal,
)
from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.store.db import open_store
from tests.browser_support import chromium_page, require_chromium, streamlit_server

BRANCH = "agentops/billing-spec/tasks-checklist"


@pytest.mark.browser
def test_gitops_browser_approve_pushes_and_opens_pr(tmp_path: Path, server, fake: FakeGitHub):
    require_chromium()
    home = tmp_path / "home"
    env = {
        "AGENTOPS_HOME": str(home),
        "AGENTOPS_DB_URL": f"sqlite:///{home / 'app.db'}",
        "DAGSTER_HOME": str(home / "dagster"),
        "AGENTOPS_GITHUB_TOKEN": TOKEN,
        "AGENTOPS_GITHUB_API_URL": server[0],
        "AGENTOPS_DEV_ADMIN": "ana",  # the signed-in reviewer (dev mode, loopback)
        "AGENTOPS_GIT_ALLOW_LOCAL_REMOTES": "on",  # the remote is a local bare repository
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
    log = tmp_path / "streamlit.log"
    with (
        streamlit_server({**os.environ, **env}, log) as url,
        chromium_page(tmp_path / "profile") as page,
    ):
        page.set_default_timeout(60_000)
        expect.set_options(timeout=60_000)
        page.goto(f"{url}/git")
        expect(page.get_by_role("heading", name="Git", exact=True)).to_be_visible()
        main = page.get_by_role("main")
        expect(main).to_contain_text("+- [ ] T-1")
        page.get_by_label("Reason (required)").fill("checklist is right")
        page.get_by_role("button", name="Approve and push").click()
        expect(main).to_contain_text("is now pushed")
    assert [p["head"]["ref"] for p in fake.pulls] == [BRANCH]
    assert git(tmp_path, "--git-dir", str(bare), "show", f"{BRANCH}:docs/tasks.md") == "- [ ] T-1"
    assert TOKEN not in log.read_text()
