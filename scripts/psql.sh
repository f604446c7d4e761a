#!/usr/bin/env bash
# make psql: psql on the dev database, as its owner: $DATABASE_URL if set, else the private cluster,
# with the owner's password from .data/pgpass (PGPASSFILE), never on the command line.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"

if [[ -n ${DATABASE_URL:-} ]]; then
  use_owner_url "$DATABASE_URL"
  exec psql "$OWNER_URL_NOPW" "$@"
fi
cluster_running "$ARK_DATA/pg" || die "the private cluster (.data/pg) is not running: start it with make up"
cluster_use "$ARK_DATA/pg" "$ARK_DATA/pgrun"
exec psql -h 127.0.0.1 -p "$CLUSTER_PORT" -U postgres ark "$@"
