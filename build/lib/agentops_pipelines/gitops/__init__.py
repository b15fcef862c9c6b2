"""Git integration hub (no Dagster here).

- signature / receiver / inbox_writer / inbox / tables: verify GitHub deliveries and keep them in
  the durable `webhook_inbox`; `read_inbox` gives sensors an exactly-once cursor.
- events: Pydantic models of the handled events; spec_paths / push_sync: spec files a push
  touched, and the exact partitions to ingest or drop.
- repo_links / change_tables / change_builder / proposals / audit / approval: proposed changes
  (generated code, else the task checklist) with diff and evidence, decided by a human.
- git_push / publish / githost / github_host / branch_naming / path_guard / pr_body: push an
  approved change with real git and open or update its pull request (GitHub via PyGithub).
- sync / task_status / ci_results: PR state and CI results flowing back into task status; JUnit
  brought to the spec's ci_results folder. delivery / service: entry points for the asset and
  the front ends.
"""
