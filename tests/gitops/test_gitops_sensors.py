"""The inbox sensors through dg.build_sensor_context: exact specs, exactly once, restart-safe."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import dagster as dg
import pytest
from gitops_repos import bare_repo, check_run_payload, commit_and_push, git, push_payload

from agentops_pipelines.defs.sensors.gitops import (
    ci_results_sensor,
    sensor_interval,
    spec_push_sensor,
)
from agentops_pipelines.gitops.inbox.reader import InboxWriter, read_inbox
from agentops_pipelines.gitops.inbox.tables import PROCESSED
from agentops_pipelines.gitops.links.push_sync import pull_source
from agentops_pipelines.gitops.links.repo_links import RepoLink, save_link
from agentops_pipelines.resources.app_store import AppStoreResource
from agentops_pipelines.resources.gitops import GitOpsResource
from agentops_pipelines.resources.spec_source import SpecSource
from agentops_pipelines.store.db import make_engine

SPECS_REPO = "acme/specs"


@pytest.fixture
def env(tmp_path: Path):
    source = tmp_path / "source"
    for key in ("specs/a/spec.md", "specs/b/spec.md", "specs/c/spec.md"):
        (source / key).parent.mkdir(parents=True, exist_ok=True)
        (source / key).write_text(f"# {key}\n")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    gitops = GitOpsResource(db_url=url, home=str(tmp_path / "home"))
    sessions = gitops.sessions()
    save_link(
        sessions,
        RepoLink(repo=SPECS_REPO, remote_url="/x", spec_root="specs", implements="a/*"),
    )
    resources = {
        "gitops": gitops,
        "spec_source": SpecSource(path=str(source / "specs")),
        "app_store": AppStoreResource(url=url),
    }
    writer = InboxWriter(make_engine(url))

    def deliver(event: str, payload: dict) -> str:
        delivery = str(uuid.uuid4())
        status = "pending"
        writer.record(
            delivery_id=delivery,
            event=event,
            action=payload.get("action"),
            payload=json.dumps(payload),
            status=status,
        )
        return delivery

    return resources, deliver, sessions, source


def tick(sensor, instance, resources, cursor):
    ctx = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
    result = sensor(ctx)
    for request in result.dynamic_partitions_requests or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions("spec", list(request.partition_keys))
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition("spec", key)
    return result


def test_push_requests_exactly_the_changed_specs_once(env) -> None:
    resources, deliver, sessions, _ = env
    instance = dg.DagsterInstance.ephemeral()
    deliver("push", push_payload(SPECS_REPO, "1" * 40, added=["specs/a/spec.md", "README.md"]))
    deliver("push", push_payload("someone/else", "2" * 40, added=["specs/b/spec.md"]))
    other_branch = push_payload(SPECS_REPO, "3" * 40, added=["specs/c/spec.md"])
    other_branch["ref"] = "refs/heads/feature"
    deliver("push", other_branch)
    first = tick(spec_push_sensor, instance, resources, None)
    assert [r.partition_key for r in first.run_requests] == ["a/spec.md"]
    assert instance.get_dynamic_partitions("spec") == ["a/spec.md"]
    assert {r.status for r in read_inbox(sessions, 0, 10)} == {PROCESSED}

    # A crashed tick (cursor not committed) replays the same run keys: Dagster drops duplicates.
    replay = tick(spec_push_sensor, instance, resources, None)
    assert [r.run_key for r in replay.run_requests] == [r.run_key for r in first.run_requests]
    # The committed cursor sees nothing new.
    assert tick(spec_push_sensor, instance, resources, first.cursor).run_requests == []


def test_push_sensor_launches_the_whole_per_spec_pipeline() -> None:
    """One run per pushed spec carries it from raw_spec to pull_request, as the polling sensor
    does; the ingest job alone would leave plan, QA and PR to separate eager runs."""
    from agentops_pipelines.definitions import defs

    assert spec_push_sensor.job_name == "spec_pipeline_job"
    job = defs().resolve_job_def("spec_pipeline_job")
    keys = {k.to_user_string() for k in job.asset_layer.executable_asset_keys}
    assert {"raw_spec", "spec_document", "technical_plan", "qa_scores", "pull_request"} <= keys


def test_removed_spec_drops_its_partition(env) -> None:
    resources, deliver, _, source = env
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", ["a/spec.md", "b/spec.md"])
    (source / "specs/b/spec.md").unlink()
    deliver("push", push_payload(SPECS_REPO, "4" * 40, removed=["specs/b/spec.md"]))
    result = tick(spec_push_sensor, instance, resources, None)
    assert result.run_requests == []
    assert instance.get_dynamic_partitions("spec") == ["a/spec.md"]


def test_ci_result_without_proposal_requests_qa_for_the_repos_specs(env, tmp_path) -> None:
    resources, deliver, _, _ = env
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("spec", ["a/spec.md", "b/spec.md"])
    pending = check_run_payload(SPECS_REPO, "5" * 40, "main", "success")
    pending["check_run"]["status"] = "in_progress"
    deliver("check_run", pending)
    assert tick(ci_results_sensor, instance, resources, None).run_requests == []
    deliver("check_run", check_run_payload(SPECS_REPO, "5" * 40, "main", "failure"))
    result = tick(ci_results_sensor, instance, resources, None)
    [run] = result.run_requests
    assert run.partition_key == "a/spec.md"  # the link implements a/*
    assert [k.to_user_string() for k in run.asset_selection] == ["test_results", "qa_scores"]
    assert json.loads(result.cursor)["inbox_id"] == 2


def test_interval_comes_from_env_with_dagster_floor() -> None:
    assert sensor_interval({"AGENTOPS_GIT_SENSOR_INTERVAL_S": "2"}) == 5
    assert sensor_interval({"AGENTOPS_GIT_SENSOR_INTERVAL_S": "45"}) == 45
    assert sensor_interval({}) == 30
    with pytest.raises(ValueError, match="whole number"):
        sensor_interval({"AGENTOPS_GIT_SENSOR_INTERVAL_S": "fast"})


def test_spec_source_is_pulled_from_a_subfolder_of_a_clone(tmp_path: Path) -> None:
    bare = bare_repo(tmp_path, "product", {"specs/a.md": "# a\n"})
    author, clone = tmp_path / "author", tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(bare), str(author))
    git(tmp_path, "clone", "--quiet", str(bare), str(clone))
    commit_and_push(author, {"specs/b.md": "# b\n"}, "add b")
    assert pull_source(clone / "specs") == "pulled"
    assert (clone / "specs" / "b.md").read_text() == "# b\n"
    (tmp_path / "plain").mkdir()
    assert pull_source(tmp_path / "plain") == "not a git clone"


def test_malformed_payloads_are_skipped_not_retried_forever(env) -> None:
    resources, deliver, _, _ = env
    instance = dg.DagsterInstance.ephemeral()
    deliver("push", {"ref": "refs/heads/main"})
    deliver("check_run", {"action": "completed", "repository": {"full_name": SPECS_REPO}})
    deliver("push", push_payload(SPECS_REPO, "6" * 40, added=["specs/c/spec.md"]))
    push = tick(spec_push_sensor, instance, resources, None)
    assert [r.partition_key for r in push.run_requests] == ["c/spec.md"]
    ci = tick(ci_results_sensor, instance, resources, None)
    assert ci.run_requests == [] and json.loads(ci.cursor)["inbox_id"] == 3
