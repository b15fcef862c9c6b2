"""Spec folder <-> repository links: the link table's model, allowed remotes for credentials, and
which specs a push to a linked repository touched."""
