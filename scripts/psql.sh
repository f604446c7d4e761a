#!/usr/bin/env bash
# make psql: psql on the dev database, as its owner: $DATABASE_URL if set, else the private cluster.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"

if [[ -n ${DATABASE_URL:-} ]]; then
  use_owner_url "$DATABASE_URL"
  exec psql "$OWNER_URL_NOPW"
fi
cluster_running "$ARK_DATA/pg" || die "the private cluster (.data/pg) is not running: start it with make up"
exec psql -h 127.0.0.1 -p "$(cluster_port "$ARK_DATA/pg")" -U postgres ark
