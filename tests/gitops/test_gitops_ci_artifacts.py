"""CI artifacts are read within limits; a corrupt or oversized one is quarantined with its
problem and the CI sensor moves on (its cursor advances)."""

from __future__ import annotations

import copy
import io
import json
import uuid
import zipfile
from pathlib import Path

import dagster as dg
import pytest
from gitops_fake_github import REPO, TOKEN, FakeGitHub
from gitops_repos import example

from agentops_pipelines.defs.sensors.gitops import ci_results_sensor
from agentops_pipelines.gitops.hosts.github_host import GitHubHost
from agentops_pipelines.gitops.inbox.reader import InboxWriter
from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.gitops.status.ci_results import results_dir
from agentops_pipelines.qa.collect import ci_reports
from agentops_pipelines.qa.quarantine import quarantined_problems
from agentops_pipelines.resources.gitops import GitOpsResource
from agentops_pipelines.store.db import make_engine

GOOD = "<testsuite tests='1'><testcase name='ok'/></testsuite>"


def _bomb() -> bytes:
    """20 MiB of spaces deflate to about 20 KiB: 1000:1, as the 300 KiB -> 300 MiB artifact."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("reports/junit.xml", b"<testsuite>" + b" " * (20 * 1024 * 1024))
    return buffer.getvalue()


@pytest.fixture
def host(server) -> GitHubHost:
    return GitHubHost(TOKEN, base_url=server[0], seconds_between_writes=0)


def test_corrupt_artifact_is_quarantined_not_raised(host, fake: FakeGitHub, tmp_path: Path):
    fake.add_workflow_run(42, "abc", {"junit.xml": GOOD})
    fake.artifacts[420] = b"PK\x03\x04 this is not a zip at all"
    dest = tmp_path / "ci"
    assert host.download_junit(REPO, 42, dest) == []
    [problem] = quarantined_problems(dest)
    assert "run-42-420-junit" in problem and "not a readable zip" in problem
    assert ci_reports(dest) == []  # the quarantined bytes are never read as a report


def test_zip_bomb_artifact_is_refused_before_inflating(host, fake: FakeGitHub, tmp_path: Path):
    fake.add_workflow_run(43, "abc", {"junit.xml": GOOD})
    fake.artifacts[430] = _bomb()
    dest = tmp_path / "ci"
    assert host.download_junit(REPO, 43, dest) == []
    [problem] = quarantined_problems(dest)
    assert "compression ratio" in problem
    on_disk = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    assert on_disk < 1024 * 1024  # the compressed bytes and a record, not 20 MiB


def test_sound_artifacts_still_arrive(host, fake: FakeGitHub, tmp_path: Path):
    fake.add_workflow_run(44, "abc", {"junit.xml": GOOD, "coverage.html": "<html/>"})
    written = host.download_junit(REPO, 44, tmp_path / "ci")
    assert [p.read_text() for p in written] == [GOOD]
    assert quarantined_problems(tmp_path / "ci") == []


def _workflow_run(run_id: int) -> dict:
    payload = copy.deepcopy(example("workflow_run", "completed.payload.json"))
    payload["repository"]["full_name"] = REPO
    payload["workflow_run"].update(id=run_id, status="completed", conclusion="success")
    return payload


def test_ci_sensor_cursor_advances_past_a_corrupt_artifact(server, fake: FakeGitHub, tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    home = str(tmp_path / "home")
    gitops = GitOpsResource(
        db_url=url,
        home=home,
        github_token=TOKEN,
        github_api_url=server[0],
        seconds_between_writes=0,
    )
    save_link(gitops.sessions(), RepoLink(repo=REPO, remote_url="/x", implements="a/*"))
    writer = InboxWriter(make_engine(url))
    fake.add_workflow_run(50, "abc", {"junit.xml": GOOD})
    fake.artifacts[500] = b"corrupt"
    fake.add_workflow_run(51, "def", {"junit.xml": GOOD})
    for run_id in (50, 51):
        payload = _workflow_run(run_id)
        writer.record(
            delivery_id=str(uuid.uuid4()),
            event="workflow_run",
            action="completed",
            payload=json.dumps(payload),
            status="pending",
        )
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", ["a/spec.md"])
    ctx = dg.build_sensor_context(instance=instance, cursor=None, resources={"gitops": gitops})
    result = ci_results_sensor(ctx)
    assert json.loads(result.cursor)["inbox_id"] == 2
    assert [r.partition_key for r in result.run_requests] == ["a/spec.md"]
    folder = results_dir(home, "a/spec.md")
    assert [p.read_text() for p in ci_reports(folder)] == [GOOD]
    [problem] = quarantined_problems(folder)
    assert "run-50-500" in problem
