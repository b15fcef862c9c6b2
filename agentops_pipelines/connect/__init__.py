"""Connecting Git hosts to a workspace: the GitHub App (installation tokens minted per use),
GitHub OAuth (people signing in, apps authorising), and GitLab through the same host seam."""
