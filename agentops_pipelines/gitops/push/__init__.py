"""Pushing an approved change: one commit on its branch with the real git client, then its pull
request opened or updated on the host."""
