"""Accept through the Git approval flow: where the spec repository is linked to a Git host, an
accepted suggestion becomes a Git proposal (the patched spec file and its diff) that a reviewer
approves on the Git page, after which it is pushed and its PR opened. The spec file in the
workspace is not written; it changes when the merged commit comes back (push webhook -> sync).

The proposal has the shape of the pipeline's own (`gitops.changes.builder`): one branch per
suggestion from `branch_name`, the file at its path in the repository (under the link's
`spec_root`), a unified diff against the workspace text, evidence naming the suggestion, its
template version, model and who accepted it. The branch is how a suggestion finds its proposal
again, so the assistant's tables need no new column.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentops_pipelines.assistant.review import (
    AcceptOutcome,
    ReviewError,
    check_user,
    open_row,
    patched_text,
    record_accept,
)
from agentops_pipelines.assistant.tables import PENDING_APPROVAL, SuggestionRow
from agentops_pipelines.auth import audit
from agentops_pipelines.gitops.change_tables import ProposalRow
from agentops_pipelines.gitops.changes.branch_naming import branch_name
from agentops_pipelines.gitops.changes.path_guard import ProtectedPathError, check_paths
from agentops_pipelines.gitops.changes.proposals import (
    ProposedChange,
    ProposedFile,
    unified_diff,
    upsert_proposal,
)
from agentops_pipelines.gitops.links.repo_links import RepoLink

SOURCE: Final = "spec_suggestion"


def task_id(suggestion_id: int) -> str:
    return f"specgpt-suggestion-{suggestion_id}"


def suggestion_branch(spec_id: str, suggestion_id: int, title: str) -> str:
    """`agentops/<spec>/specgpt-suggestion-<id>-<title slug>`: one branch per suggestion (a
    title with no letter git accepts gets a generic slug)."""
    try:
        return branch_name(spec_id, task_id(suggestion_id), title)
    except ValueError:
        return branch_name(spec_id, task_id(suggestion_id), "spec-change")


def repo_path(link: RepoLink, spec_id: str) -> str:
    """The spec's file in the linked repository: the spec id under the link's spec folder."""
    root = (link.spec_root or "").strip("/")
    path = posixpath.join(root, spec_id) if root else spec_id
    try:
        return check_paths([path])[0]
    except ProtectedPathError as err:
        raise ReviewError(
            f"spec {spec_id!r} maps to {path!r} in {link.repo}, which cannot be proposed: {err}"
        ) from err


def _summary(row: SuggestionRow, user: str) -> str:
    target = f" ({row.requirement_id})" if row.requirement_id else ""
    return (
        f"SpecGPT suggestion #{row.id} for `{row.spec_id}`{target}: {row.title}.\n\n"
        f"Kind `{row.kind}`, template `{row.template}` ({row.template_version}), model "
        f"`{row.model}`; suggested by {row.created_by}, accepted by {user}.\n\n{row.proposal}"
    )


def _change(
    row: SuggestionRow, user: str, link: RepoLink, current: str, new_text: str
) -> ProposedChange:
    path = repo_path(link, row.spec_id)
    files = [ProposedFile(path=path, content=new_text)]
    return ProposedChange(
        spec_id=row.spec_id,
        repo=link.repo,
        base=link.base_branch,
        branch=suggestion_branch(row.spec_id, row.id, row.title),
        title=f"SpecGPT: {row.title} ({row.spec_id})",
        summary=_summary(row, user),
        source=SOURCE,
        task_ids=[task_id(row.id)],
        requirement_ids=[row.requirement_id] if row.requirement_id else [],
        files=files,
        diff=unified_diff(files, lambda _path: current),
        evidence={
            "specgpt": {
                "suggestion_id": row.id,
                "kind": row.kind,
                "template": row.template,
                "template_version": row.template_version,
                "model": row.model,
                "suggested_by": row.created_by,
                "accepted_by": user,
            }
        },
    )


def propose_accept(
    session_factory: sessionmaker[Session],
    suggestion_id: int,
    user: str,
    specs_path: Path,
    link: RepoLink,
) -> AcceptOutcome:
    """Record the human's accept and hand the change to the Git approval flow.

    Three steps, each in its own transaction: the patched text is computed (a conflict is
    recorded and refused as for a direct accept); the proposal is upserted (idempotent by
    branch); the suggestion becomes `pending_approval` with the decision, unless another
    request decided it meanwhile (then that request's outcome stands and this one is refused).
    """
    check_user(user)
    with session_factory.begin() as session:
        row = open_row(session, suggestion_id)
        _path, current, new_text = patched_text(session, row, specs_path)
        change = _change(row, user, link, current, new_text)
    proposal, _outcome = upsert_proposal(session_factory, change)
    note = (
        f"proposed as Git change #{proposal.id} ({link.repo}, branch {proposal.branch}); "
        "a reviewer approves it on the Git page"
    )
    with session_factory.begin() as session:
        row = open_row(session, suggestion_id)
        record_accept(session, row, user, PENDING_APPROVAL, note)
        audit.record_acting(
            session,
            actor=user,
            action="spec.propose",
            subject=f"spec:{row.spec_id}",
            detail={"suggestion": row.id, "proposal": proposal.id},
        )
    return AcceptOutcome(
        suggestion_id=suggestion_id,
        spec_id=change.spec_id,
        status=PENDING_APPROVAL,
        proposal_id=proposal.id,
        repo=link.repo,
        branch=proposal.branch,
        message=(
            f"Accepted #{suggestion_id}: proposed as Git change #{proposal.id} on branch "
            f"{proposal.branch} of {link.repo}. A reviewer must approve it on the Git page; "
            "the spec changes once it is pushed and merged."
        ),
    )


def proposals_of(
    session_factory: sessionmaker[Session], rows: list[tuple[int, str, str]]
) -> dict[int, tuple[int, str]]:
    """suggestion id -> (proposal id, proposal status) for (id, spec_id, title) rows."""
    if not rows:
        return {}
    branches = {(spec, suggestion_branch(spec, sid, title)): sid for sid, spec, title in rows}
    with session_factory() as session:
        found = session.execute(
            select(ProposalRow.id, ProposalRow.spec_id, ProposalRow.branch, ProposalRow.status)
            .where(ProposalRow.source == SOURCE)
            .where(ProposalRow.spec_id.in_({spec for spec, _ in branches}))
        ).all()
    return {
        branches[(spec, branch)]: (pid, status)
        for pid, spec, branch, status in found
        if (spec, branch) in branches
    }
