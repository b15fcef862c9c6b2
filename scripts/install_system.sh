#!/usr/bin/env bash
# Debian packages the tests need: PostgreSQL (Dagster instance tests; pg_dump/pg_restore for the
# restore test), Chromium (UI flows) and Redis (the Celery broker of the deployment test).
# Idempotent; installs only what is missing. Runs as root here and in CI.
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-dejavu-core)
command -v git >/dev/null 2>&1 || need+=(git)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v pg_restore >/dev/null 2>&1 || need+=(postgresql-client)
# The test sandbox runs as a per-run uid, which cannot reach a pyenv interpreter under /root.
[ -x /usr/bin/python3.11 ] || need+=(python3.11)
# A repository's Node test environment (npm ci) and its runners (vitest, jest, mocha).
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "system packages: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "system packages: done"
