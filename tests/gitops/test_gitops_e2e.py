"""End to end: a push webhook for a changed spec -> receiver -> inbox -> spec_push_sensor ->
materialisation -> proposed change -> approval -> branch in a bare repository and a PR on the
local GitHub -> check_run and merge webhooks -> task status done. Then: no token anywhere."""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

import dagster as dg
from gitops_fake_github import REPO, TOKEN, FakeGitHub
from gitops_repos import (
    bare_repo,
    check_run_payload,
    commit_and_push,
    git,
    pull_request_payload,
    push_payload,
)
from sqlalchemy import text

from agentops_pipelines.defs.assets.delivery import pull_request
from agentops_pipelines.defs.assets.planning import task_graph, technical_plan
from agentops_pipelines.defs.assets.specs import raw_spec, spec_document
from agentops_pipelines.defs.sensors.gitops import ci_results_sensor, spec_push_sensor
from agentops_pipelines.gitops.approve_and_push import review
from agentops_pipelines.gitops.changes.proposals import list_proposals
from agentops_pipelines.gitops.hosts.github_host import GitHubHost
from agentops_pipelines.gitops.inbox.signature import sign
from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.gitops.push.publish import PublishConfig
from agentops_pipelines.gitops.status.task_status import task_statuses
from agentops_pipelines.resources import build_resources
from agentops_pipelines.resources.gitops import GitOpsResource
from agentops_pipelines.settings import load_settings

SPEC = "billing-invoices/spec.md"
SPECS_REPO = "acme/specs"


def deliver(receiver, secret: str, event: str, payload: dict) -> None:
    """Signed like GitHub signs, over the receiver's HTTP route."""
    body = json.dumps(payload).encode()
    response = receiver.client.post(
        "/webhooks/github",
        content=body,
        headers={
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": str(uuid.uuid4()),
            "X-Hub-Signature-256": sign(secret, body),
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 202, response.text


def apply_partitions(instance: dg.DagsterInstance, result: dg.SensorResult) -> None:
    for request in result.dynamic_partitions_requests or []:
        assert isinstance(request, dg.AddDynamicPartitionsRequest)
        instance.add_dynamic_partitions("spec", list(request.partition_keys))


def test_push_to_pr_to_task_done(
    agentops_home: Path,
    tmp_path: Path,
    monkeypatch,
    server,
    fake: FakeGitHub,
    caplog,
    make_receiver,
    secret,
) -> None:
    caplog.set_level(logging.DEBUG)
    spec_text = (Path(__file__).parents[2] / "examples" / "specs" / SPEC).read_text()
    # The spec repository: an author's clone pushes; the spec source is another clone.
    specs_bare = bare_repo(tmp_path, "specs", {"README.md": "# specs\n"})
    author = tmp_path / "author"
    git(tmp_path, "clone", "--quiet", str(specs_bare), str(author))
    source = tmp_path / "source"
    git(tmp_path, "clone", "--quiet", str(specs_bare), str(source))
    code_bare = bare_repo(tmp_path, "shop", {"README.md": "# shop\n"})
    fake.git_dir = code_bare

    monkeypatch.setenv("AGENTOPS_SPECS_PATH", str(source))
    settings = load_settings()
    resources = build_resources(settings)
    gitops = GitOpsResource(
        db_url=settings.app_db_url,
        home=str(settings.home),
        github_token=TOKEN,
        github_api_url=server[0],
        seconds_between_writes=0,
    )
    resources["gitops"] = gitops
    sessions = gitops.sessions()
    save_link(sessions, RepoLink(repo=SPECS_REPO, remote_url=str(specs_bare), spec_root=""))
    save_link(sessions, RepoLink(repo=REPO, remote_url=str(code_bare), implements="*"))
    receiver = make_receiver(settings.app_db_url)

    # 1. A commit adds the spec; GitHub delivers the push.
    sha = commit_and_push(author, {SPEC: spec_text}, "Add billing spec")
    deliver(receiver, secret, "push", push_payload(SPECS_REPO, sha, added=[SPEC]))

    # 2. The sensor pulls the source and asks for exactly that spec; a replay asks for nothing.
    instance = dg.DagsterInstance.ephemeral()
    ctx = dg.build_sensor_context(instance=instance, cursor=None, resources=resources)
    result = spec_push_sensor(ctx)
    assert [r.partition_key for r in result.run_requests] == [SPEC]
    apply_partitions(instance, result)
    assert (source / SPEC).read_text() == spec_text  # pulled
    again = spec_push_sensor(
        dg.build_sensor_context(instance=instance, cursor=result.cursor, resources=resources)
    )
    assert again.run_requests == [] and again.cursor == result.cursor

    # 3. Materialise the spec through to the pull_request asset: a proposal, nothing pushed.
    run = dg.materialize(
        [raw_spec, spec_document, technical_plan, task_graph, pull_request],
        partition_key=SPEC,
        instance=instance,
        resources=resources,
    )
    assert run.success
    [proposal] = list_proposals(sessions)
    assert proposal.status == "proposed" and proposal.source == "plan_checklist"
    assert proposal.diff.startswith("--- /dev/null") and fake.pulls == []
    assert git(tmp_path, "--git-dir", str(code_bare), "branch", "--list", "agentops/*") == ""

    # 4. A reviewer approves: real git push to the bare repo, PR on the local GitHub.
    host = GitHubHost(TOKEN, base_url=server[0], seconds_between_writes=0)
    config = PublishConfig(workdir=settings.home / "git_work", token=TOKEN)
    pushed = review(
        sessions,
        proposal.id,
        approve=True,
        actor="ana",
        reason="checklist looks right",
        home=settings.home,
        host=host,
        config=config,
    )
    assert pushed.status == "pushed", pushed.error
    head = git(tmp_path, "--git-dir", str(code_bare), "rev-parse", f"refs/heads/{pushed.branch}")
    assert head == pushed.commit_sha
    [pr] = fake.pulls
    assert pr["head"]["ref"] == pushed.branch and pr["head"]["sha"] == head
    assert "agentops:billing-invoices/spec.md" in pr["body"]
    assert {t.status for t in task_statuses(sessions, SPEC)} == {"in_review"}

    # 5. CI reports green on the PR head, then the PR is merged: tasks are done.
    deliver(receiver, secret, "check_run", check_run_payload(REPO, head, pushed.branch, "success"))
    ci = ci_results_sensor(
        dg.build_sensor_context(instance=instance, cursor=None, resources=resources)
    )
    [qa_run] = ci.run_requests
    assert qa_run.partition_key == SPEC
    assert {k.to_user_string() for k in qa_run.asset_selection} == {"test_results", "qa_scores"}
    assert {t.checks_state for t in task_statuses(sessions, SPEC)} == {"success"}
    deliver(
        receiver,
        secret,
        "pull_request",
        pull_request_payload(REPO, pushed.branch, head, "closed", True),
    )
    ci_results_sensor(
        dg.build_sensor_context(instance=instance, cursor=ci.cursor, resources=resources)
    )
    assert {t.status for t in task_statuses(sessions, SPEC)} == {"done"}

    # 6. The token is nowhere: logs, Dagster event metadata, app tables, artefacts, git config.
    haystacks = [caplog.text]
    for key in ("raw_spec", "spec_document", "technical_plan", "task_graph", "pull_request"):
        records = instance.fetch_materializations(dg.AssetKey(key), limit=10).records
        assert records, key
        haystacks += [repr(r.asset_materialization.metadata) for r in records]
    with sessions() as session:
        for table in ("gitops_proposals", "gitops_audit", "gitops_task_status", "webhook_inbox"):
            haystacks.append(repr(session.execute(text(f"SELECT * FROM {table}")).all()))
    small_files = [p for p in settings.home.rglob("*") if p.is_file() and p.stat().st_size < 2**20]
    haystacks += [p.read_bytes().decode("utf-8", "ignore") for p in small_files]
    assert len(haystacks) > 10 and all(TOKEN not in h for h in haystacks)
