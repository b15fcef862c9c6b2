"""Spec-aware review of pull requests: from a PR's diff and the repo at base and head, which
requirements the change touches, which tests it removes or weakens, what the sandboxed test run
says, and the spec completion delta. Plain Python, no Dagster; publishing goes through a host."""
