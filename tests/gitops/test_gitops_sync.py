"""Status flowing back: PR state and check results -> proposal and task status; JUnit fetched."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import dagster as dg
import pytest
from gitops_fake_github import REPO, TOKEN
from gitops_repos import check_run_payload, example, pull_request_payload
from sqlalchemy import update

from agentops_pipelines.defs.sensors.gitops import ci_results_sensor
from agentops_pipelines.gitops.change_tables import ProposalRow
from agentops_pipelines.gitops.changes.proposals import (
    ProposedChange,
    ProposedFile,
    upsert_proposal,
)
from agentops_pipelines.gitops.inbox.reader import InboxWriter
from agentops_pipelines.gitops.status.host_status import (
    apply_check,
    apply_pull_request,
    check_signal,
)
from agentops_pipelines.gitops.status.task_status import mark_tasks, task_statuses
from agentops_pipelines.links import ci_results_dir
from agentops_pipelines.resources.gitops import GitOpsResource
from agentops_pipelines.settings import load_settings
from agentops_pipelines.store.db import make_engine, open_store

BRANCH = "agentops/s/tasks-code"
SHA = "a" * 40


@pytest.fixture
def sessions(tmp_path: Path):
    sessions = open_store(f"sqlite:///{tmp_path / 'app.db'}")
    proposal, _ = upsert_proposal(
        sessions,
        ProposedChange(
            spec_id="s/spec.md",
            repo=REPO,
            base="main",
            branch=BRANCH,
            title="t",
            source="plan_checklist",
            task_ids=["T-1", "T-2"],
            files=[ProposedFile(path="a.md", content="a")],
        ),
    )
    with sessions.begin() as session:
        session.execute(
            update(ProposalRow).values(
                status="pushed", commit_sha=SHA, pr_number=1, pr_state="open"
            )
        )
        mark_tasks(session, session.get(ProposalRow, proposal.id), "in_review")
    return sessions


def statuses(sessions) -> set[tuple[str, str | None]]:
    return {(t.status, t.checks_state) for t in task_statuses(sessions, "s/spec.md")}


def test_merged_with_green_checks_is_done(sessions) -> None:
    signal = check_signal("check_run", check_run_payload(REPO, SHA, BRANCH, "success"))
    assert apply_check(sessions, signal) == "s/spec.md"
    assert statuses(sessions) == {("in_review", "success")}
    apply_pull_request(sessions, pull_request_payload(REPO, BRANCH, SHA, "closed", True))
    assert statuses(sessions) == {("done", "success")}


def test_one_red_check_wins_and_merging_red_reopens(sessions) -> None:
    for name, conclusion in (("lint", "success"), ("pytest", "failure")):
        payload = check_run_payload(REPO, SHA, BRANCH, conclusion)
        payload["check_run"]["name"] = name
        apply_check(sessions, check_signal("check_run", payload))
    assert statuses(sessions) == {("in_review", "failure")}
    apply_pull_request(sessions, pull_request_payload(REPO, BRANCH, SHA, "closed", True))
    assert statuses(sessions) == {("reopened", "failure")}


def test_closed_unmerged_reopens_and_old_commits_are_ignored(sessions) -> None:
    stale = check_signal("check_run", check_run_payload(REPO, "b" * 40, BRANCH, "failure"))
    apply_check(sessions, stale)
    assert statuses(sessions) == {("in_review", None)}
    apply_pull_request(sessions, pull_request_payload(REPO, BRANCH, SHA, "closed", False))
    assert statuses(sessions) == {("reopened", None)}


def test_status_and_workflow_run_events_are_read() -> None:
    status = example("status", "payload.json")
    signal = check_signal("status", status)
    assert signal is not None and signal.sha == status["sha"]
    assert signal.completed == (status["state"] != "pending")
    run = example("workflow_run", "completed.payload.json")
    signal = check_signal("workflow_run", run)
    assert signal is not None and signal.workflow_run_id == run["workflow_run"]["id"]


def test_workflow_run_junit_lands_in_the_spec_ci_folder(sessions, tmp_path, server, fake):
    fake.add_workflow_run(77, SHA, {"junit.xml": "<testsuite name='x' tests='1'/>"})
    payload = example("workflow_run", "completed.payload.json")
    payload["repository"]["full_name"] = REPO
    payload["workflow_run"].update(id=77, head_sha=SHA, head_branch=BRANCH, conclusion="success")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    InboxWriter(make_engine(url)).record(
        delivery_id=str(uuid.uuid4()),
        event="workflow_run",
        action="completed",
        payload=json.dumps(payload),
        status="pending",
    )
    home = tmp_path / "home"
    gitops = GitOpsResource(
        db_url=url,
        home=str(home),
        github_token=TOKEN,
        github_api_url=server[0],
        seconds_between_writes=0,
    )
    ctx = dg.build_sensor_context(
        instance=dg.DagsterInstance.ephemeral(), resources={"gitops": gitops}
    )
    [run] = ci_results_sensor(ctx).run_requests
    assert run.partition_key == "s/spec.md"
    folder = ci_results_dir(load_settings({"AGENTOPS_HOME": str(home)}), "s/spec.md")
    assert (folder / "junit.xml").read_text() == "<testsuite name='x' tests='1'/>"
    assert statuses(sessions) == {("in_review", "success")}
