#!/usr/bin/env bash
# make up: installs what is missing, deploys, serves PostgREST (and the bridge once it exists) until
# Ctrl-C or SIGTERM, then stops every process it started. The private cluster's data stays in .data/.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/postgrest.sh"
cd "$ARK_ROOT"

API_PORT=${API_PORT:-3000}
BRIDGE_PORT=${BRIDGE_PORT:-8080}
ARK_PGPORT=${ARK_PGPORT:-54329}
PG_DATA="$ARK_DATA/pg"
PG_RUN="$ARK_DATA/pgrun"
LOG_DIR="$ARK_DATA/log"
RUN_DIR="$ARK_DATA/run"

started_cluster=false
PGRST_PID=''
BRIDGE_PID=''
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  step "stopping"
  [[ -z $BRIDGE_PID ]] || stop_pid "$BRIDGE_PID" bridge
  [[ -z $PGRST_PID ]] || stop_pid "$PGRST_PID" PostgREST
  rm -f "$RUN_DIR/postgrest.pid" "$RUN_DIR/bridge.pid"
  if $started_cluster; then cluster_stop "$PG_DATA"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "bootstrap"
"$ARK_ROOT/scripts/bootstrap.sh"

mkdir -p "$ARK_DATA" "$LOG_DIR" "$RUN_DIR"
load_secret JWT_SECRET "$ARK_DATA/jwt_secret"
load_secret AUTHENTICATOR_PASSWORD "$ARK_DATA/authenticator_password"
load_secret BRIDGE_PASSWORD "$ARK_DATA/bridge_password"

if [[ -z ${DATABASE_URL:-} ]]; then
  step "private PostgreSQL cluster (.data/pg)"
  cluster_init "$PG_DATA" "$PG_RUN"
  if cluster_running "$PG_DATA"; then
    # Another make up (or make psql user) already runs it: share it and leave it running.
    ARK_PGPORT=$(cluster_port "$PG_DATA")
    info "already running on port $ARK_PGPORT; it will be left running"
  else
    cluster_start "$PG_DATA" "$PG_RUN" "$ARK_PGPORT"
    started_cluster=true
  fi
  cluster_ensure_db "$ARK_PGPORT" "$PG_RUN" ark
  DATABASE_URL="postgresql://postgres@127.0.0.1:$ARK_PGPORT/ark"
fi
pg_url_parse "$DATABASE_URL"
info "database: $URL_USER@$URL_HOST:$URL_PORT/$URL_DB"

step "deploy"
"$ARK_ROOT/scripts/deploy.sh" --reload-seed "$DATABASE_URL"

# The example agent worker (examples/agent_worker.py) signs in with a service token that only the
# owner can issue; a fresh one each start, readable by this user only.
use_owner_url "$DATABASE_URL"
(umask 077 && psql "$OWNER_URL_NOPW" -X -qAt -v ON_ERROR_STOP=1 \
  -c "SELECT auth.issue_service_token('agent_service', interval '30 days')" >"$ARK_DATA/agent_service.token")
info "agent_service token for examples/agent_worker.py: .data/agent_service.token"

step "PostgREST on 127.0.0.1:$API_PORT"
postgrest_start "$DATABASE_URL" "$API_PORT" "$LOG_DIR/postgrest.log"
echo "$PGRST_PID" >"$RUN_DIR/postgrest.pid"

if [[ -f bridge/__main__.py ]]; then
  step "bridge on 127.0.0.1:$BRIDGE_PORT"
  port_in_use "$BRIDGE_PORT" && die "port $BRIDGE_PORT is already in use (set BRIDGE_PORT to another port)"
  pg_url_parse "$DATABASE_URL"
  BRIDGE_DATABASE_URL=$(pg_url bridge "$BRIDGE_PASSWORD") BRIDGE_PORT=$BRIDGE_PORT JWT_SECRET=$JWT_SECRET \
    setsid "$VENV/bin/python" -m bridge >"$LOG_DIR/bridge.log" 2>&1 </dev/null &
  BRIDGE_PID=$!
  echo "$BRIDGE_PID" >"$RUN_DIR/bridge.pid"
  if ! wait_http "http://127.0.0.1:$BRIDGE_PORT/health" 20 "$BRIDGE_PID"; then
    tail -n 40 "$LOG_DIR/bridge.log" >&2
    die "the bridge did not become ready (log: $LOG_DIR/bridge.log)"
  fi
else
  info "the bridge is not built yet (no bridge/__main__.py): serving the REST API only"
fi

cat <<EOF_BANNER

ArkAgentic is up.
  REST API   http://127.0.0.1:$API_PORT
  OpenAPI    http://127.0.0.1:$API_PORT/
  WebSocket  ws://127.0.0.1:$BRIDGE_PORT/ws$([[ -n $BRIDGE_PID ]] || echo '   (not built yet)')
  Logs       $LOG_DIR/ (tail -f $LOG_DIR/*.log)
  psql       make psql

Try:
  curl -s -X POST http://127.0.0.1:$API_PORT/rpc/login_anonymous -H 'Content-Type: application/json' -d '{"display_name":"Ada","avatar_sprite":"brendan"}'
  curl -s http://127.0.0.1:$API_PORT/agents

Ctrl-C stops everything this command started.
EOF_BANNER

# Wait until a service dies or a signal arrives; either way the EXIT trap stops the rest.
pids=("$PGRST_PID")
[[ -z $BRIDGE_PID ]] || pids+=("$BRIDGE_PID")
set +e
wait -n "${pids[@]}"
rc=$?
set -e
warn "a service exited (status $rc); see $LOG_DIR/"
exit 1
