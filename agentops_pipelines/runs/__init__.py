"""The Dagster deployment seen from outside a run: a spec's last failed run (read from the
instance) and runs queued through the webserver's GraphQL API. Used by the CLI and the pages;
Dagster is imported lazily, inside the calls that need it."""
