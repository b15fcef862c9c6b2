#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL cluster on 127.0.0.1 for the instance tests.
# Usage: scripts/postgres.sh start|stop   Prints the connection URL on start.
set -euo pipefail
PORT="${AGENTOPS_PG_PORT:-55432}"
DATA="/var/tmp/agentops-pg-${PORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    if [ ! -s "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DATA"
      as_pg "$BIN/initdb" -D "$DATA" -U agentops --auth=trust -E UTF8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DATA -c fsync=off" start >/dev/null
    fi
    echo "postgresql://agentops@127.0.0.1:${PORT}/postgres"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
