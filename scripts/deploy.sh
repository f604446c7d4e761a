#!/usr/bin/env bash
# Brings one database up to date, the same way for make up, make test, make bench and the compose
# migrate service:
#   1. sqitch deploy --verify
#   2. db/configure.sql: role passwords and the JWT secret (they differ per installation, so they are
#      not in any Sqitch change)
#   3. with --reload-seed: db/seed.sql again, so a DBA's edits to the seed reach an existing database
#      (the first deploy loads it through its Sqitch change)
#   4. NOTIFY pgrst, 'reload schema'
#
# Usage: scripts/deploy.sh [--reload-seed] [OWNER_URL]     OWNER_URL defaults to $DATABASE_URL.
# Reads JWT_SECRET, AUTHENTICATOR_PASSWORD and BRIDGE_PASSWORD from the environment, and refuses weak
# or published ones (check_secret in scripts/lib/common.sh) before it touches the database.
# TRUSTED_CLIENT_ADDRESS_HEADER (optional): the header a reverse proxy sets to the client's address.
# JITSI_DOMAIN, JITSI_APP_ID, JITSI_APP_SECRET, JITSI_AUDIENCE (optional, the first three together): the
# Jitsi deployment meeting tokens are minted for; JITSI_APP_SECRET is held to the same rule as the others.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ARK_ROOT"

reload_seed=false
if [[ ${1:-} == --reload-seed ]]; then reload_seed=true; shift; fi
owner_url=${1:-${DATABASE_URL:-}}
[[ -n $owner_url ]] || die "usage: $0 [--reload-seed] OWNER_URL (or set DATABASE_URL)"
# Nothing is deployed with a secret anyone could know: the JWT secret signs every token (a known one lets
# anyone forge a content_admin token), and the passwords guard the API roles and the owner.
for var in JWT_SECRET AUTHENTICATOR_PASSWORD BRIDGE_PASSWORD; do
  check_secret "$var" "${!var:-}"
done
# Jitsi is optional, but all or nothing: a domain without its secret (or the reverse) is a mistake.
if [[ -n ${JITSI_DOMAIN:-}${JITSI_APP_ID:-}${JITSI_APP_SECRET:-} ]]; then
  for var in JITSI_DOMAIN JITSI_APP_ID; do
    [[ -n ${!var:-} ]] || die "$var is not set: JITSI_DOMAIN, JITSI_APP_ID and JITSI_APP_SECRET go together"
  done
  check_secret JITSI_APP_SECRET "${JITSI_APP_SECRET:-}"
fi
# The owner's password belongs to the server, so it is only refused when published; compose's migrate
# service, whose db it created, sets DEPLOY_STRICT_OWNER=1 to refuse a weak one too.
pg_url_parse "$owner_url"
if [[ -n $URL_PASSWORD ]]; then
  if [[ ${DEPLOY_STRICT_OWNER:-0} == 1 ]]; then
    check_secret "the owner password (POSTGRES_PASSWORD)" "$URL_PASSWORD"
  else
    check_published "the owner password in the database URL" "$URL_PASSWORD"
  fi
elif [[ ${DEPLOY_STRICT_OWNER:-0} == 1 ]]; then
  die "the database URL carries no owner password (POSTGRES_PASSWORD)"
fi

required=(sqitch.conf sqitch.plan deploy revert verify db/configure.sql)
$reload_seed && required+=(db/seed.sql)
for path in "${required[@]}"; do
  [[ -e $path ]] || die "$path is missing: the schema has not landed yet, so there is nothing to deploy"
done

use_owner_url "$owner_url"
sqitch_identity

info "sqitch deploy --verify ($URL_USER@$URL_HOST:$URL_PORT/$URL_DB)"
sqitch deploy --verify "$SQITCH_TARGET"

# The secrets reach psql as variables on standard input rather than as -v arguments, so they never
# show in a process list. Inside a quoted psql argument a backslash starts an escape and a single quote
# is written as two, so both are escaped.
psql_quote() { local v=${1//\\/\\\\}; printf "'%s'" "${v//\'/\'\'}"; }
info "configuring role passwords, the JWT secret and Jitsi (db/configure.sql)"
# Query results (configure.sql may SELECT a setter function) are noise here; errors still reach stderr.
psql "$OWNER_URL_NOPW" -X -q -o /dev/null -v ON_ERROR_STOP=1 <<SQL
\set jwt_secret $(psql_quote "$JWT_SECRET")
\set authenticator_password $(psql_quote "$AUTHENTICATOR_PASSWORD")
\set bridge_password $(psql_quote "$BRIDGE_PASSWORD")
\set trusted_client_address_header $(psql_quote "${TRUSTED_CLIENT_ADDRESS_HEADER:-}")
\set jitsi_domain $(psql_quote "${JITSI_DOMAIN:-}")
\set jitsi_app_id $(psql_quote "${JITSI_APP_ID:-}")
\set jitsi_app_secret $(psql_quote "${JITSI_APP_SECRET:-}")
\set jitsi_audience $(psql_quote "${JITSI_AUDIENCE:-jitsi}")
\i db/configure.sql
SQL

if $reload_seed; then
  info "reloading the seed (db/seed.sql)"
  psql "$OWNER_URL_NOPW" -X -q -v ON_ERROR_STOP=1 -f db/seed.sql
fi

psql "$OWNER_URL_NOPW" -X -q -v ON_ERROR_STOP=1 -c "NOTIFY pgrst, 'reload schema'"
info "deployed"
