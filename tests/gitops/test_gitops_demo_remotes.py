"""`make demo`'s offline Git flow: the sample code repos get local bare remotes and Git links."""

from __future__ import annotations

import subprocess
from pathlib import Path

from agentops_pipelines.gitops.demo_remotes import link_demo_remotes
from agentops_pipelines.gitops.links.remote_policy import check_remote
from agentops_pipelines.gitops.links.repo_links import link_for_spec, list_links
from agentops_pipelines.links import load_code_links
from agentops_pipelines.store.db import open_store


def test_each_sample_repo_gets_a_bare_remote_and_a_link(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AGENTOPS_GIT_ALLOW_LOCAL_REMOTES", "on")
    sessions = open_store(f"sqlite:///{tmp_path / 'app.db'}")
    made = link_demo_remotes(sessions, tmp_path / "home")
    assert {link.repo for link in made} == {"demo/logq", "demo/flagd", "demo/authmfa"}
    assert len(made) == len(load_code_links())
    for link in made:
        check_remote(link.remote_url)  # allowed as a local demo remote
        files = subprocess.run(
            ["git", "--git-dir", link.remote_url, "ls-tree", "-r", "--name-only", "main"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        assert "pyproject.toml" in files and any(f.startswith("tests/") for f in files)
    linked = link_for_spec(sessions, "log-search-cli/spec.md")
    assert linked is not None and linked.repo == "demo/logq"
    again = link_demo_remotes(sessions, tmp_path / "home")  # a second `make demo`
    assert [link.remote_url for link in again] == [link.remote_url for link in made]
    assert len(list_links(sessions)) == 3
