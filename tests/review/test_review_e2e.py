"""End to end: a signed pull_request webhook -> receiver -> inbox -> pr_review_sensor -> pr_review
materialisation -> review with inline comments and a check run on the local GitHub (real
PyGithub HTTP) -> check status; then a push (synchronize) updates the review instead of piling
up a second live one."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path

import dagster as dg
from fastapi import FastAPI
from fastapi.testclient import TestClient
from review_fake_github import TOKEN
from review_repos import LOGQ_SPEC, branch, pull_payload, sample_repo

from agentops_pipelines.api.receiver.github_route import webhook_router
from agentops_pipelines.defs.assets.review import pr_review
from agentops_pipelines.defs.partitions import PULL_PARTITIONS_NAME
from agentops_pipelines.defs.sensors.pr_review import pr_review_sensor
from agentops_pipelines.gitops.inbox.reader import InboxWriter
from agentops_pipelines.gitops.inbox.signature import sign
from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.resources.app_store import AppStoreResource
from agentops_pipelines.resources.gitops import GitOpsResource
from agentops_pipelines.resources.llm import LLMRouterResource
from agentops_pipelines.resources.spec_source import ArtefactRoot, SpecSource
from agentops_pipelines.review.diff import parse_diff
from agentops_pipelines.review.pr_review import load_reports
from agentops_pipelines.review.render import CHECK_NAME
from agentops_pipelines.store.db import make_engine

SECRET = "review-e2e-secret"
REPO = "acme/shop"
TEST = "tests/test_search.py"


def _positions(repo: Path, base: str, head: str) -> dict[str, int]:
    done = subprocess.run(
        ["git", "-C", str(repo), "diff", f"{base}...{head}"],
        capture_output=True,
        text=True,
        check=True,
    )
    diff = parse_diff(done.stdout)
    return {d.path: d.lines[-1].position for d in diff}


def test_webhook_to_review_check_and_update_on_push(tmp_path: Path, review_server) -> None:
    base_url, fake = review_server
    url = f"sqlite:///{tmp_path / 'app.db'}"
    repo = sample_repo(tmp_path / "logq")
    specs = tmp_path / "specs" / "log-search-cli"
    specs.mkdir(parents=True)
    shutil.copy(LOGQ_SPEC, specs / "spec.md")
    gitops = GitOpsResource(
        db_url=url,
        home=str(tmp_path / "home"),
        github_token=TOKEN,
        github_api_url=base_url,
        seconds_between_writes=0,
    )
    save_link(
        gitops.sessions(), RepoLink(repo=REPO, remote_url=str(repo), implements="log-search-cli/*")
    )
    resources = {
        "gitops": gitops,
        "spec_source": SpecSource(path=str(tmp_path / "specs")),
        "artefacts": ArtefactRoot(path=str(tmp_path / "artefacts")),
        "llm": LLMRouterResource(db_url=url),
        "app_store": AppStoreResource(url=url),
    }
    app = FastAPI()
    app.include_router(webhook_router(SECRET, InboxWriter(make_engine(url))))
    client = TestClient(app)

    def deliver(payload: dict) -> None:
        body = json.dumps(payload).encode()
        response = client.post(
            "/webhooks/github",
            content=body,
            headers={
                "X-GitHub-Event": "pull_request",
                "X-GitHub-Delivery": str(uuid.uuid4()),
                "X-Hub-Signature-256": sign(SECRET, body),
                "Content-Type": "application/json",
            },
        )
        assert response.status_code == 202, response.text

    instance = dg.DagsterInstance.ephemeral()

    def tick_and_run(cursor: str | None) -> tuple[str, list[dg.RunRequest]]:
        result = pr_review_sensor(
            dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
        )
        for request in result.dynamic_partitions_requests or []:
            instance.add_dynamic_partitions(PULL_PARTITIONS_NAME, list(request.partition_keys))
        for run in result.run_requests or []:
            done = dg.materialize(
                [pr_review],
                partition_key=run.partition_key,
                resources=resources,
                run_config=run.run_config,
                instance=instance,
            )
            assert done.success
        return result.cursor, list(result.run_requests or [])

    weaken = {TEST: lambda s: s.replace("assert len(lines) == 3", "assert len(lines) >= 1")}
    base, head1 = branch(repo, "feature-1", weaken)
    fake.add_pull(1, head1, _positions(repo, base, head1))
    deliver(pull_payload(REPO, 1, "opened", base, head1))
    deliver(pull_payload("someone/unlinked", 1, "opened", base, head1))
    cursor, runs = tick_and_run(None)
    assert [r.partition_key for r in runs] == [f"{REPO}#1"]

    (review,) = fake.reviews[1]
    assert "R1" in review["body"] and review["state"] == "COMMENTED"
    comments = list(fake.comments.values())
    assert comments and all(c["path"] == TEST for c in comments)
    (check,) = fake.checks.values()
    assert check["name"] == CHECK_NAME and check["head_sha"] == head1
    assert check["status"] == "completed" and check["conclusion"] == "neutral"
    # the check's status as a client reads it back over the API
    from github import Auth, Github

    gh = Github(base_url=base_url, auth=Auth.Token(TOKEN))
    (read,) = list(gh.get_repo(REPO).get_commit(head1).get_check_runs(check_name=CHECK_NAME))
    assert (read.status, read.conclusion) == ("completed", "neutral")

    # idle tick: no new delivery, no new run
    cursor, runs = tick_and_run(cursor)
    assert runs == []

    # a push: the branch gets a commit that also removes a test
    def remove(text: str) -> str:
        start = text.index("def test_r1_reads_standard_input_without_paths")
        return text[:start] + text[text.index("\n\n\n", start) + 3 :]

    git_edit = {
        TEST: lambda s: remove(s.replace("assert len(lines) == 3", "assert len(lines) >= 1"))
    }
    _, head2 = branch(repo, "feature-1", git_edit, base="main")
    fake.set_diff(1, head2, _positions(repo, base, head2))
    deliver(pull_payload(REPO, 1, "synchronize", base, head2))
    cursor, runs = tick_and_run(cursor)
    assert len(runs) == 1
    assert len(fake.live_reviews(1)) == 1
    live = fake.live_reviews(1)[0]
    assert head2 in live["body"] and "Superseded" in fake.reviews[1][0]["body"]
    assert {c["pull_request_review_id"] for c in fake.comments.values()} == {live["id"]}
    assert {c["head_sha"] for c in fake.checks.values()} == {head1, head2}
    (report,) = load_reports(tmp_path / "artefacts")
    assert report.head_sha == head2 and {"test_removed", "assert_weakened"} <= report.kinds()
