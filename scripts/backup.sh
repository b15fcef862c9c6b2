#!/usr/bin/env bash
# Back up (or restore) everything AgentOps keeps: the app store and the Dagster instance
# (PostgreSQL, pg_dump custom format) and the artefact root (tar). See deploy/README.md.
#   scripts/backup.sh backup  DIR    writes DIR/{app,dagster}.dump, DIR/artefacts.tar.gz, DIR/SHA256SUMS
#   scripts/backup.sh restore DIR    checks SHA256SUMS, restores both databases and the artefacts
# Reads AGENTOPS_DB_URL (app store), AGENTOPS_DAGSTER_PG_URL (Dagster instance database) and
# AGENTOPS_ARTEFACT_ROOT. URLs may carry a SQLAlchemy driver (+psycopg2); passwords never print.
set -euo pipefail
mode="${1:?usage: backup.sh backup|restore DIR}"
dir="${2:?usage: backup.sh backup|restore DIR}"
: "${AGENTOPS_DB_URL:?set AGENTOPS_DB_URL to the app store URL}"
: "${AGENTOPS_DAGSTER_PG_URL:?set AGENTOPS_DAGSTER_PG_URL to the Dagster instance database URL}"
: "${AGENTOPS_ARTEFACT_ROOT:?set AGENTOPS_ARTEFACT_ROOT to the artefact folder}"
libpq() { printf '%s' "${1/postgresql+psycopg2:/postgresql:}"; }
app_url="$(libpq "$AGENTOPS_DB_URL")"
dagster_url="$(libpq "$AGENTOPS_DAGSTER_PG_URL")"
root="$AGENTOPS_ARTEFACT_ROOT"

case "$mode" in
  backup)
    mkdir -p "$dir"
    pg_dump --format=custom --no-owner --dbname="$app_url" --file="$dir/app.dump"
    pg_dump --format=custom --no-owner --dbname="$dagster_url" --file="$dir/dagster.dump"
    tar -C "$root" -czf "$dir/artefacts.tar.gz" .
    (cd "$dir" && sha256sum app.dump dagster.dump artefacts.tar.gz > SHA256SUMS)
    echo "backup: $dir ($(du -sh "$dir" | cut -f1))"
    ;;
  restore)
    (cd "$dir" && sha256sum --check --quiet SHA256SUMS)
    pg_restore --clean --if-exists --no-owner --exit-on-error --dbname="$app_url" "$dir/app.dump"
    pg_restore --clean --if-exists --no-owner --exit-on-error --dbname="$dagster_url" \
      "$dir/dagster.dump"
    # The artefact root is swapped in whole: a half-extracted tree is never served.
    staging="$(mktemp -d "$(dirname "$root")/.restore.XXXXXX")"
    tar -C "$staging" -xzf "$dir/artefacts.tar.gz"
    if [ -e "$root" ]; then mv "$root" "$staging.old"; fi
    mv "$staging" "$root"
    rm -rf "$staging.old"
    echo "restore: from $dir"
    ;;
  *)
    echo "usage: backup.sh backup|restore DIR" >&2
    exit 2
    ;;
esac
