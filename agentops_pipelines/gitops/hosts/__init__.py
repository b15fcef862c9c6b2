"""The Git host seam (branch + commit + pull request) and its GitHub implementation (PyGithub)."""
