"""Git integration hub (no Dagster here).

- signature / receiver / inbox / tables: verify GitHub deliveries and keep them in the durable
  `webhook_inbox`; `read_inbox` gives sensors an exactly-once cursor.
- events: Pydantic models of the handled events; spec_paths: spec files a push touched.
- githost / github_host / branch_naming / path_guard / pr_body: publish a change as branch,
  commit and pull request through the Git host seam (GitHub via PyGithub).
"""
