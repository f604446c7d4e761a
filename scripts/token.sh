#!/usr/bin/env bash
# make token ROLE=content_admin|agent_service|jitsi_service [TTL='1 hour']: prints a service token for the dev
# database, signed by the database itself (auth.issue_service_token, owner only) with its JWT secret.
# The dev database is $DATABASE_URL if set, else the private cluster of make up (which must be running).
# Only the token goes to stdout, so ADMIN=$(make -s token ROLE=content_admin) works.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"

role=${1:-${ROLE:-}}
ttl=${2:-${TTL:-}}
case $role in
  content_admin) ttl=${ttl:-1 hour} ;;
  agent_service|jitsi_service) ttl=${ttl:-30 days} ;;
  *) die "usage: make token ROLE=content_admin|agent_service|jitsi_service [TTL='1 hour']" ;;
esac

if [[ -n ${DATABASE_URL:-} ]]; then
  use_owner_url "$DATABASE_URL"
  target=("$OWNER_URL_NOPW")
else
  cluster_running "$ARK_DATA/pg" || die "the private cluster ($ARK_DATA/pg) is not running: start it with make up"
  cluster_use "$ARK_DATA/pg" "$ARK_DATA/pgrun"
  target=(-h 127.0.0.1 -p "$CLUSTER_PORT" -U postgres -d ark)
fi
# The role and TTL reach SQL as psql variables (:'role' quotes them), never spliced into the query.
psql "${target[@]}" -X -qAt -v ON_ERROR_STOP=1 -v role="$role" -v ttl="$ttl" <<'SQL'
SELECT auth.issue_service_token(:'role', :'ttl'::interval);
SQL
