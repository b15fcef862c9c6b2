"""Git integration hub (no Dagster here), one concern per subpackage.

- inbox/: GitHub deliveries verified (signature, body_reader), modelled (events) and kept in the
  durable `webhook_inbox` (writer, tables); `reader.read_inbox` gives sensors an exactly-once
  cursor. The HTTP receiver that feeds it is `api/receiver/`.
- links/: which repository holds a spec folder and receives its changes (repo_links), where a
  Git credential may go (remote_policy), which specs a push touched (spec_paths, push_sync).
- changes/: proposed changes (generated code, else the task checklist) with diff and evidence
  (builder, proposals, branch_naming, path_guard), decided by a human (approval) with an audit
  trail (audit).
- hosts/: the Git host seam (base) and its GitHub implementation through PyGithub
  (github_host, pr_body).
- push/: an approved change pushed with the real git client (git_client), then its pull request
  opened or updated (publish).
- status/: PR state and check results flowing back into proposals and task status
  (host_status, task_status); CI JUnit brought to the spec's results folder (ci_results).
- change_tables: the app-store tables of changes, audit, repo links and task status.
- delivery / approve_and_push: the entry points of the `pull_request` asset and of the front
  ends; they compose the subpackages above.
"""
