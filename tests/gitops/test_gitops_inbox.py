from __future__ import annotations

import json

import pytest

from agentops_pipelines.gitops.inbox.events import CheckRunEvent, Commit, PushEvent, Repo
from agentops_pipelines.gitops.inbox.reader import InboxWriter, mark_processed, read_inbox
from agentops_pipelines.gitops.links.spec_paths import spec_paths_changed
from agentops_pipelines.store.db import make_engine, open_store


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


def _fill(db_url: str, examples, count: int) -> None:
    open_store(db_url)
    writer = InboxWriter(make_engine(db_url))
    for n, example in enumerate(examples[:count]):
        status = "ignored" if example.event == "issues" else "pending"
        writer.record(
            delivery_id=f"d{n}",
            event=example.event,
            action=example.payload.get("action"),
            payload=example.body.decode(),
            status=status,
        )


def test_cursor_reads_every_row_exactly_once_across_restarts(db_url, examples) -> None:
    _fill(db_url, examples, 60)
    seen: list[str] = []
    cursor = 0
    while True:
        batch = read_inbox(open_store(db_url), cursor, 7)  # a fresh factory = a restarted sensor
        if not batch:
            break
        seen += [row.delivery_id for row in batch]
        cursor = batch[-1].id
    expected = [f"d{n}" for n, e in enumerate(examples[:60]) if e.event != "issues"]
    assert seen == expected
    everything = read_inbox(open_store(db_url), 0, 1000, include_ignored=True)
    assert [row.delivery_id for row in everything] == [f"d{n}" for n in range(60)]


def test_rows_carry_payload_and_parse(db_url, examples) -> None:
    _fill(db_url, examples, 3)
    [first, *_] = read_inbox(open_store(db_url), 0, 1)
    assert first.event == "check_run"
    assert first.payload == json.loads(examples[0].body)
    parsed = first.parsed()
    assert isinstance(parsed, CheckRunEvent)
    assert parsed.check_run.head_sha == first.payload["check_run"]["head_sha"]


def test_mark_processed_only_touches_pending(db_url, examples) -> None:
    _fill(db_url, examples, 5)
    sessions = open_store(db_url)
    ids = [row.id for row in read_inbox(sessions, 0, 2)]
    assert mark_processed(sessions, ids) == 2
    assert mark_processed(sessions, ids) == 0
    statuses = [row.status for row in read_inbox(sessions, 0, 5)]
    assert statuses[:2] == ["processed", "processed"] and set(statuses[2:]) == {"pending"}
    assert read_inbox(sessions, 0, 1)[0].processed_at is not None


def test_redelivery_is_not_stored_twice(db_url) -> None:
    open_store(db_url)
    writer = InboxWriter(make_engine(db_url))
    args = dict(delivery_id="same", event="ping", action=None, payload="{}", status="processed")
    assert writer.record(**args) is True
    assert writer.record(**args) is False


def _push(*commits: Commit) -> PushEvent:
    return PushEvent(
        repository=Repo(full_name="acme/specs"),
        ref="refs/heads/main",
        before="a",
        after="b",
        commits=list(commits),
    )


def test_spec_paths_changed_replays_commits_relative_to_root() -> None:
    push = _push(
        Commit(id="1", added=["specs/billing/spec.md", "src/app.py"], modified=["specs/a/spec.md"]),
        Commit(id="2", removed=["specs/a/spec.md", "specs/old/spec.md"], added=["specs/x.txt"]),
        Commit(id="3", added=["specs/old/spec.md"], modified=["docs/specs/readme.md"]),
    )
    changed, removed = spec_paths_changed(push, ["**/*.md"], spec_root="specs")
    assert changed == {"billing/spec.md", "old/spec.md"}
    assert removed == {"a/spec.md"}


def test_spec_paths_changed_without_root_and_narrow_globs() -> None:
    push = _push(Commit(id="1", added=["specs/b/spec.md", "specs/b/notes.md", "README.md"]))
    changed, removed = spec_paths_changed(push, ["specs/*/spec.md"])
    assert (changed, removed) == ({"specs/b/spec.md"}, set())


def test_real_push_example_and_branch(examples) -> None:
    payloads = [e.payload for e in examples if e.event == "push"]
    pushes = [PushEvent.model_validate(p) for p in payloads]
    assert {p.branch for p in pushes} >= {None}
    for push in pushes:
        changed, removed = spec_paths_changed(push, ["**/*"])
        touched = {path for c in push.commits for path in (*c.added, *c.modified, *c.removed)}
        assert changed | removed == touched
        assert not push.may_be_truncated


def test_group_commit_answers_each_delivery_after_one_shared_commit(tmp_path) -> None:
    """Deliveries of one event-loop pass share a transaction; a duplicate id in the same batch
    is still reported as a redelivery, and a cancelled waiter does not break the others."""
    import asyncio

    from agentops_pipelines.gitops.inbox.writer import BatchingInboxWriter

    db_url = f"sqlite:///{tmp_path / 'app.db'}"
    sessions = open_store(db_url)
    writer = InboxWriter(make_engine(db_url))
    calls: list[int] = []
    record_many = writer.record_many
    writer.record_many = lambda rows: calls.append(len(rows)) or record_many(rows)  # type: ignore[method-assign]
    batch = BatchingInboxWriter(writer)

    def row(delivery: str) -> dict:
        return {"delivery_id": delivery, "event": "push", "action": None, "payload": "{}",
                "status": "pending"}  # fmt: skip

    async def main() -> list[bool]:
        cancelled = asyncio.ensure_future(batch.record(row("c")))
        others = [asyncio.ensure_future(batch.record(row(d))) for d in ("a", "b", "a")]
        await asyncio.sleep(0)
        cancelled.cancel()
        return list(await asyncio.gather(*others))

    assert asyncio.run(main()) == [True, True, False]
    assert calls == [4]
    assert sorted(r.delivery_id for r in read_inbox(sessions, 0, 10)) == ["a", "b", "c"]
