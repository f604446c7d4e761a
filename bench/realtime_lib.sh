# shellcheck shell=bash
# Helpers for the benchmarks that start the WebSocket bridge (bench_ws.sh, bench_chat.sh). Needs
# bench/lib.sh (and through it scripts/lib/common.sh). Every process started here is recorded and
# stopped by its PID only.

# bridge_start OWNER_URL PORT LOG: the bridge as `make up` starts it (.venv/bin/python -m bridge), as the
# bridge role, on 127.0.0.1:PORT; waits for GET /health to answer 200 and sets BRIDGE_PID. Extra
# BRIDGE_* settings can be passed in the environment of the call.
bridge_start() {
  local owner_url=$1 port=$2 log=$3
  port_in_use "$port" && die "port $port is already in use"
  pg_url_parse "$owner_url"
  BRIDGE_DATABASE_URL=$(pg_url bridge "$BRIDGE_PASSWORD") BRIDGE_PORT=$port JWT_SECRET=$JWT_SECRET \
    setsid "$VENV/bin/python" -m bridge >"$log" 2>&1 </dev/null &
  BRIDGE_PID=$!
  if ! wait_http "http://127.0.0.1:$port/health" 30 "$BRIDGE_PID"; then
    tail -n 40 "$log" >&2
    stop_pid "$BRIDGE_PID" bridge
    die "the bridge did not become ready (log: $log)"
  fi
}

# bare_start PORT LOG: bench/bare_broadcast.py, the ceiling without a database; sets BARE_PID.
bare_start() {
  local port=$1 log=$2
  port_in_use "$port" && die "port $port is already in use"
  BARE_PORT=$port JWT_SECRET=$JWT_SECRET setsid "$VENV/bin/python" "$BENCH_DIR/bare_broadcast.py" >"$log" 2>&1 </dev/null &
  BARE_PID=$!
  if ! wait_http "http://127.0.0.1:$port/health" 30 "$BARE_PID"; then
    tail -n 40 "$log" >&2
    stop_pid "$BARE_PID" bare_broadcast
    die "bare_broadcast.py did not become ready (log: $log)"
  fi
}

# postmaster_pid OWNER_URL: the PID of the server's postmaster (its backends are its children), for CPU
# accounting; empty if this user cannot see it (a remote TEST_DATABASE_URL).
postmaster_pid() {
  local dir
  dir=$(psql "$1" -XAtqc 'SHOW data_directory' 2>/dev/null) || return 0
  [[ -r $dir/postmaster.pid ]] && head -n1 "$dir/postmaster.pid"
  return 0
}

# bench_players OWNER_URL PREFIX FILE ROOM...: creates one player per ROOM argument (as the owner, in
# one statement: no login round trips) and writes FILE with `user_id<TAB>token<TAB>room` lines, the
# tokens signed by the database exactly like login_anonymous's (auth.issue_token, 1 hour).
bench_players() {
  local url=$1 prefix=$2 file=$3
  shift 3
  local rooms
  rooms=$(printf '%s\n' "$@" | paste -sd, -)
  psql "$url" -XAtq -F $'\t' -v ON_ERROR_STOP=1 -v prefix="$prefix" -v rooms="$rooms" >"$file" <<'SQL'
WITH wanted AS (
  SELECT ordinality AS n, room FROM unnest(string_to_array(:'rooms', ',')) WITH ORDINALITY AS room
), made AS (
  INSERT INTO app.users (display_name, avatar_sprite)
  SELECT :'prefix' || '-' || n, 'brendan' FROM wanted ORDER BY n
  RETURNING id, display_name
)
SELECT m.id, auth.issue_token(m.id, interval '1 hour') ->> 'token', w.room
  FROM made m JOIN wanted w ON :'prefix' || '-' || w.n = m.display_name
 ORDER BY w.n;
SQL
  (($(wc -l <"$file") == $#)) || die "bench_players: expected $# players in $file"
}

# repeat WORD COUNT: WORD COUNT times, as separate arguments (for bench_players' room list).
repeat() { local i; for ((i = 0; i < $2; i++)); do printf '%s\n' "$1"; done; }
