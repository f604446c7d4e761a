# shellcheck shell=bash
# Starts the pinned PostgREST binary as the authenticator role. Needs common.sh.

# postgrest_start OWNER_URL PORT LOG: reads JWT_SECRET and AUTHENTICATOR_PASSWORD, connects to the same
# server and database as OWNER_URL, waits until GET / answers 200 and sets PGRST_PID. db/postgrest.conf
# holds the settings that never change; the PGRST_* variables override it per run. Every request runs
# auth.check_request first (revoked tokens get 401); a bench sets PGRST_DB_PRE_REQUEST='' to measure without.
postgrest_start() {
  local owner_url=$1 port=$2 log=$3
  [[ -x $POSTGREST_BIN ]] || die "PostgREST is not installed at $POSTGREST_BIN: run scripts/bootstrap.sh"
  [[ -f $ARK_ROOT/db/postgrest.conf ]] || die "db/postgrest.conf is missing: the PostgREST configuration has not landed yet"
  port_in_use "$port" && die "port $port is already in use (set API_PORT to another port)"
  pg_url_parse "$owner_url"
  # The secrets travel in this process's environment only, never on a command line.
  PGRST_DB_URI=$(pg_url authenticator "$AUTHENTICATOR_PASSWORD") \
    PGRST_JWT_SECRET=$JWT_SECRET \
    PGRST_DB_PRE_REQUEST=${PGRST_DB_PRE_REQUEST-auth.check_request} \
    PGRST_SERVER_HOST=127.0.0.1 \
    PGRST_SERVER_PORT=$port \
    PGRST_OPENAPI_SERVER_PROXY_URI="http://127.0.0.1:$port" \
    setsid "$POSTGREST_BIN" "$ARK_ROOT/db/postgrest.conf" >"$log" 2>&1 </dev/null &
  PGRST_PID=$!
  if ! wait_http "http://127.0.0.1:$port/" 20 "$PGRST_PID"; then
    printf -- '---- PostgREST log (%s) ----\n' "$log" >&2
    tail -n 40 "$log" >&2
    stop_pid "$PGRST_PID" PostgREST
    die "PostgREST did not become ready"
  fi
}
