#!/usr/bin/env bash
# Entrypoint of the postgres:15 stand-in (docker/standins/postgres.Dockerfile). The contract of the
# official image that compose.yaml relies on:
#   - POSTGRES_PASSWORD (required), POSTGRES_USER (default postgres), POSTGRES_DB (default $POSTGRES_USER);
#   - an empty $PGDATA is initialised once; a data directory that has PG_VERSION is used as it is;
#   - `postgres [flags]` or bare flags (`-c name=value`) run the server as PID 1, as the postgres user;
#     any other command runs as given.
# Every connection authenticates with SCRAM, the local socket included: no trust line.
set -euo pipefail

if [[ ${1:-postgres} == -* ]]; then set -- postgres "$@"; fi
[[ ${1:-} == postgres ]] || exec "$@"

PGDATA=${PGDATA:-/var/lib/postgresql/data}
if ((EUID == 0)); then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set: this image never uses trust authentication}"
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  echo "initialising $PGDATA (superuser $user, database $db)"
  pwfile=$(mktemp)
  trap 'rm -f "$pwfile"' EXIT
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
    -D "$PGDATA" >/dev/null
  rm -f "$pwfile"
  trap - EXIT
  # Other containers reach the server over the compose network, with a password.
  printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.auto.conf"
  if [[ $db != postgres ]]; then
    # Single-user mode: no server to start and nothing to authenticate.
    printf 'CREATE DATABASE "%s";\n' "${db//\"/\"\"}" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "initialised"
fi

exec "$@"
