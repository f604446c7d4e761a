#!/usr/bin/env bash
# make up: installs what is missing, deploys, serves PostgREST and the bridge until Ctrl-C or SIGTERM,
# then stops every process it started. The private cluster's data stays in $ARK_DATA (default .data/).
#
# A supervisor: a bridge or PostgREST that exits is started again after a backoff (1 s, doubling to
# 30 s, back to 1 s once it has run for ARK_UP_STABLE_SECONDS), with a line in the output and in
# $ARK_DATA/log/up.log for each restart, while the others keep serving. Ctrl-C and SIGTERM stop
# everything whatever stdout is: writes to a closed pipe fail (SIGPIPE is ignored) instead of killing
# the script before its trap has stopped the services, and the trap runs without set -e.
set -euo pipefail
trap '' PIPE
source "$(dirname "$0")/lib/common.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/postgrest.sh"
source "$ARK_ROOT/scripts/lib/supervise.sh"
cd "$ARK_ROOT"

API_PORT=${API_PORT:-3000}
BRIDGE_PORT=${BRIDGE_PORT:-8080}
ARK_PGPORT=${ARK_PGPORT:-54329}
STABLE_SECONDS=${ARK_UP_STABLE_SECONDS:-60}
PG_DATA="$ARK_DATA/pg"
PG_RUN="$ARK_DATA/pgrun"
LOG_DIR="$ARK_DATA/log"
RUN_DIR="$ARK_DATA/run"
# Logs and tokens are for this OS user only.
umask 077

started_cluster=false

# say MESSAGE: a supervisor line, to stdout (which may be a closed pipe by now) and to up.log.
say() {
  printf '    %s\n' "$*" 2>/dev/null || true
  printf '%s %s\n' "$(date -u +%FT%TZ)" "$*" >>"$LOG_DIR/up.log" 2>/dev/null || true
}

# group_alive PID: the group still runs. A leader that has exited stays a zombie (and its group "alive")
# until it is waited for, so a zombie leader counts as stopped.
group_alive() { kill -0 -- "-$1" 2>/dev/null && [[ $(ps -o stat= -p "$1" 2>/dev/null) != Z* ]]; }

# stop_groups PID NAME [PID NAME ...]: SIGTERM to the process group each service leads (setsid), all
# at once, and SIGKILL to whatever still runs 10 s later. In parallel, so that a Ctrl-C costs the slowest
# service's shutdown, not the sum of them.
stop_groups() {
  local -a pids=() names=()
  while (($#)); do pids+=("$1"); names+=("$2"); shift 2; done
  local i pid running
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  done
  for _ in $(seq 50); do
    running=0
    for pid in "${pids[@]}"; do group_alive "$pid" && running=1; done
    ((running)) || break
    sleep 0.2
  done
  for i in "${!pids[@]}"; do
    if group_alive "${pids[$i]}"; then
      say "${names[$i]} did not stop after SIGTERM; killing it"
      kill -KILL -- "-${pids[$i]}" 2>/dev/null
    fi
    wait "${pids[$i]}" 2>/dev/null
  done
  return 0
}

cleanup() {
  local rc=$?
  # Nothing here may stop the cleanup half-way: not set -e, not a write to a closed pipe, not a second
  # Ctrl-C.
  set +e
  trap '' INT TERM
  trap - EXIT
  say "==> stopping"
  [[ -z $SLEEP_PID ]] || kill "$SLEEP_PID" 2>/dev/null
  local -a services=()
  [[ -z ${SERVICE_PID[bridge]:-} ]] || services+=("${SERVICE_PID[bridge]}" bridge)
  [[ -z ${SERVICE_PID[postgrest]:-} ]] || services+=("${SERVICE_PID[postgrest]}" PostgREST)
  ((${#services[@]} == 0)) || stop_groups "${services[@]}"
  rm -f "$RUN_DIR/postgrest.pid" "$RUN_DIR/bridge.pid" "$RUN_DIR/up.pid"
  # Bounded: 10 s for the services above, 20 s for PostgreSQL's own shutdown, then an immediate stop.
  if $started_cluster; then cluster_stop "$PG_DATA" 20 >/dev/null 2>&1; fi
  say "stopped"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "bootstrap"
"$ARK_ROOT/scripts/bootstrap.sh"

# A pid file is written beside its name and renamed over it: whoever reads it (a monitor, `kill $(cat …)`)
# sees the old pid or the new one, never the empty file that `echo >` leaves for a moment.
write_pid() {
  echo "$2" >"$RUN_DIR/$1.pid.tmp" && mv -f "$RUN_DIR/$1.pid.tmp" "$RUN_DIR/$1.pid"
}

mkdir -p "$ARK_DATA" "$LOG_DIR" "$RUN_DIR"
# The server's OS user (postgres, when root runs this) must reach pg/ and pgrun/; nobody may list it.
chmod 711 "$ARK_DATA"
chmod 700 "$LOG_DIR" "$RUN_DIR"
chmod 600 "$LOG_DIR"/*.log 2>/dev/null || true
write_pid up "$$"
load_secret JWT_SECRET "$ARK_DATA/jwt_secret"
load_secret AUTHENTICATOR_PASSWORD "$ARK_DATA/authenticator_password"
load_secret BRIDGE_PASSWORD "$ARK_DATA/bridge_password"

url_hint=''
if [[ -z ${DATABASE_URL:-} ]]; then
  step "private PostgreSQL cluster ($PG_DATA)"
  cluster_init "$PG_DATA" "$PG_RUN"
  if cluster_running "$PG_DATA"; then
    # Another make up (or make psql user) already runs it: share it and leave it running.
    cluster_use "$PG_DATA" "$PG_RUN"
    ARK_PGPORT=$CLUSTER_PORT
    info "already running on port $ARK_PGPORT; it will be left running"
  else
    cluster_start "$PG_DATA" "$PG_RUN" "$ARK_PGPORT"
    started_cluster=true
  fi
  cluster_ensure_db "$ARK_PGPORT" "$PG_RUN" ark
  DATABASE_URL="postgresql://postgres@127.0.0.1:$ARK_PGPORT/ark"
  url_hint="  (password: PGPASSFILE=$ARK_DATA/pgpass, or make psql)"
fi
pg_url_parse "$DATABASE_URL"
info "database: $URL_USER@$URL_HOST:$URL_PORT/$URL_DB"
use_owner_url "$DATABASE_URL"
SHOWN_URL=$OWNER_URL_NOPW

step "deploy"
"$ARK_ROOT/scripts/deploy.sh" --reload-seed "$DATABASE_URL"

# ---- the services --------------------------------------------------------------------------------
# spawn_postgrest / spawn_bridge start one service in a session of its own (so Ctrl-C reaches only this
# script, and its process group can be stopped whole), appending to its log. No readiness wait: the
# first start waits below, a restart is watched by the supervisor loop.
spawn_postgrest() {
  pg_url_parse "$DATABASE_URL"
  # The secrets travel in the environment only, never on a command line.
  PGRST_DB_URI=$(pg_url authenticator "$AUTHENTICATOR_PASSWORD") \
    PGRST_JWT_SECRET=$JWT_SECRET \
    PGRST_SERVER_HOST=127.0.0.1 \
    PGRST_SERVER_PORT=$API_PORT \
    PGRST_OPENAPI_SERVER_PROXY_URI="http://127.0.0.1:$API_PORT" \
    setsid "$POSTGREST_BIN" "$ARK_ROOT/db/postgrest.conf" >>"$LOG_DIR/postgrest.log" 2>&1 </dev/null &
  SERVICE_PID[postgrest]=$!
  write_pid postgrest "$!"
}

spawn_bridge() {
  pg_url_parse "$DATABASE_URL"
  BRIDGE_DATABASE_URL=$(pg_url bridge "$BRIDGE_PASSWORD") BRIDGE_PORT=$BRIDGE_PORT JWT_SECRET=$JWT_SECRET \
    setsid "$VENV/bin/python" -m bridge >>"$LOG_DIR/bridge.log" 2>&1 </dev/null &
  SERVICE_PID[bridge]=$!
  write_pid bridge "$!"
}

step "PostgREST on 127.0.0.1:$API_PORT"
[[ -x $POSTGREST_BIN ]] || die "PostgREST is not installed at $POSTGREST_BIN: run scripts/bootstrap.sh"
port_in_use "$API_PORT" && die "port $API_PORT is already in use (set API_PORT to another port)"
spawn_postgrest
if ! wait_http "http://127.0.0.1:$API_PORT/" 20 "${SERVICE_PID[postgrest]}"; then
  tail -n 40 "$LOG_DIR/postgrest.log" >&2
  die "PostgREST did not become ready (log: $LOG_DIR/postgrest.log)"
fi

step "bridge on 127.0.0.1:$BRIDGE_PORT"
port_in_use "$BRIDGE_PORT" && die "port $BRIDGE_PORT is already in use (set BRIDGE_PORT to another port)"
spawn_bridge
if ! wait_http "http://127.0.0.1:$BRIDGE_PORT/health" 20 "${SERVICE_PID[bridge]}"; then
  tail -n 40 "$LOG_DIR/bridge.log" >&2
  die "the bridge did not become ready (log: $LOG_DIR/bridge.log)"
fi

# The example agent worker (examples/agent_worker.py) signs in with a service token that only the
# owner can issue. One that PostgREST still accepts and that has a day or more left is kept; otherwise
# a new 30-day one is minted (readable by this user only).
token_file="$ARK_DATA/agent_service.token"
token_days_left() {
  python3 - "$1" <<'PY' 2>/dev/null || echo 0
import base64, json, sys, time
payload = sys.argv[1].split(".")[1]
claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
print(int((claims["exp"] - time.time()) // 86400) if claims.get("role") == "agent_service" else 0)
PY
}
token_accepted() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $1" \
    "http://127.0.0.1:$API_PORT/agents?limit=1") == 200 ]]
}
old_token=$(cat "$token_file" 2>/dev/null || true)
if [[ -n $old_token ]] && (($(token_days_left "$old_token") >= 1)) && token_accepted "$old_token"; then
  info "agent_service token for examples/agent_worker.py: $token_file (kept: $(token_days_left "$old_token") days left)"
else
  psql "$OWNER_URL_NOPW" -X -qAt -v ON_ERROR_STOP=1 \
    -c "SELECT auth.issue_service_token('agent_service', interval '30 days')" >"$token_file.new"
  mv "$token_file.new" "$token_file"
  info "agent_service token for examples/agent_worker.py: $token_file (new, 30 days)"
fi

cat <<EOF_BANNER || true

ArkAgentic is up.
  REST API   http://127.0.0.1:$API_PORT
  OpenAPI    http://127.0.0.1:$API_PORT/
  WebSocket  ws://127.0.0.1:$BRIDGE_PORT/ws
  Database   $SHOWN_URL$url_hint
  Logs       $LOG_DIR/ (tail -f $LOG_DIR/*.log)
  psql       make psql
  Tokens     make token ROLE=content_admin   (or ROLE=agent_service; TTL='2 hours')

Try:
  curl -s -X POST http://127.0.0.1:$API_PORT/rpc/login_anonymous -H 'Content-Type: application/json' -d '{"display_name":"Ada","avatar_sprite":"brendan"}'
  curl -s http://127.0.0.1:$API_PORT/agents

Ctrl-C stops everything this command started; a service that exits is restarted.
EOF_BANNER

# ---- supervise -----------------------------------------------------------------------------------
# Until a signal arrives (its trap exits through cleanup). Errors here must not end the script: set -e
# is off from now on.
set +e
supervise postgrest bridge
