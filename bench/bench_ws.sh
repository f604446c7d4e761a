#!/usr/bin/env bash
# Presence benchmark: the WebSocket bridge on a fresh, deployed database, against a bare broadcast
# server (bench/bare_broadcast.py, no database) as the ceiling, both loaded by bench/ws_load.py in a
# separate process over loopback. Players move at 5 Hz in 1-tile steps:
#   N=50 in one room (room-scout), then N=200 in four rooms of 50 (the seeded 20x15 agent rooms),
#   each against the bridge and then the bare server, each server freshly started (RSS per run).
# Then the cost of realtime.apply_moves per batch size (a rolled-back transaction), and a py-spy
# profile of the bridge under the N=50 load. Writes bench/results/ws.md.
#
# Instrumentation of the bench database (as its owner): track_functions = all, so that
# pg_stat_user_functions times realtime.apply_moves; and, on the throwaway cluster only (whose log
# this script can read), log_min_duration_statement = 0 for the bridge role, for the distribution of
# apply_moves durations and batch sizes.
#
# WS_WARMUP and WS_DURATION (seconds, default 5 and 20) set each run's warm-up and measured window.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
source "$BENCH_DIR/realtime_lib.sh"
cd "$ARK_ROOT"

WS_WARMUP=${WS_WARMUP:-5}
WS_DURATION=${WS_DURATION:-20}
PROFILE_SECONDS=12

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ark-bench.XXXXXX")
SERVER_PID=''
LOADGEN_PID=''
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -z $LOADGEN_PID ]] || stop_pid "$LOADGEN_PID" ws_load.py
  [[ -z $SERVER_PID ]] || stop_pid "$SERVER_PID" server
  fresh_db_close
  rm -rf "$BENCH_TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "WebSocket benchmark: bootstrap"
scripts/bootstrap.sh

step "WebSocket benchmark: fresh database"
fresh_db_deploy durable
use_owner_url "$FRESH_DB_URL"
DB=$OWNER_URL_NOPW
db_name=$URL_DB
sql() { psql "$DB" -XAtq -v ON_ERROR_STOP=1 "$@"; }

sql -c "ALTER DATABASE \"$db_name\" SET track_functions = 'all'"
PG_LOG=''
if [[ -n $FRESH_DB_DIR && -r $FRESH_DB_DIR/run/postgres.log ]]; then
  PG_LOG=$FRESH_DB_DIR/run/postgres.log
  sql -c "ALTER ROLE bridge IN DATABASE \"$db_name\" SET log_min_duration_statement = 0" \
    -c "ALTER ROLE bridge IN DATABASE \"$db_name\" SET log_parameter_max_length = -1"
fi
pg_pid=$(postmaster_pid "$DB")

step "WebSocket benchmark: players"
mapfile -t rooms1 < <(repeat room-scout 50)
mapfile -t rooms4 < <(repeat room-scout 50; repeat room-sage 50; repeat room-chronicler 50; repeat room-trends 50)
bench_players "$DB" ws50 "$BENCH_TMP/players50.tsv" "${rooms1[@]}"
bench_players "$DB" ws200 "$BENCH_TMP/players200.tsv" "${rooms4[@]}"
bench_players "$DB" wsprof "$BENCH_TMP/playersprof.tsv" "${rooms1[@]}"
info "350 players and their tokens, made as the owner"

# load NAME PLAYERS URL [extra ws_load args]: one bounded run of the load generator.
load() {
  local name=$1 players=$2 url=$3
  shift 3
  timeout $((WS_WARMUP + WS_DURATION + 120)) "$VENV/bin/python" "$BENCH_DIR/ws_load.py" run --label "$name" \
    --url "$url" --players "$players" --warmup "$WS_WARMUP" --duration "$WS_DURATION" \
    --server-pid "$SERVER_PID" ${pg_pid:+--pg-pid "$pg_pid"} --out "$BENCH_TMP/$name.json" "$@"
}

# After a bridge run its players are in their grace period, which a stopped bridge never ends: take them
# offline, so the next run's rooms hold only its own players.
offline() { sql -c "UPDATE app.player_presence p SET status = 'offline' FROM app.users u WHERE u.id = p.user_id AND u.display_name LIKE '$1-%'" >/dev/null; }

run_bridge() {
  local n=$1 port lines=0
  port=$(free_port)
  bridge_start "$FRESH_DB_URL" "$port" "$BENCH_TMP/bridge$n.log"
  SERVER_PID=$BRIDGE_PID
  sql -c 'SELECT pg_stat_reset()' >/dev/null
  [[ -z $PG_LOG ]] || lines=$(wc -l <"$PG_LOG")
  load "bridge$n" "$BENCH_TMP/players$n.tsv" "ws://127.0.0.1:$port/ws"
  # Backends report function statistics at most once a second.
  sleep 1.5
  sql >"$BENCH_TMP/funcs$n.json" <<'SQL'
SELECT coalesce(json_object_agg(schemaname || '.' || funcname,
         json_build_object('calls', calls, 'total_ms', total_time, 'self_ms', self_time)), '{}')
  FROM pg_stat_user_functions
 WHERE (schemaname, funcname) IN (('realtime', 'apply_moves'), ('app', 'presence_move'), ('app', 'presence_notify'))
SQL
  if [[ -n $PG_LOG ]]; then
    tail -n +"$((lines + 1))" "$PG_LOG" >"$BENCH_TMP/pg$n.log"
    "$VENV/bin/python" "$BENCH_DIR/ws_load.py" pglog "$BENCH_TMP/pg$n.log" >"$BENCH_TMP/pglog$n.json"
  fi
  stop_pid "$SERVER_PID" bridge
  SERVER_PID=''
  offline "ws$n"
}

run_bare() {
  local n=$1 port
  port=$(free_port)
  bare_start "$port" "$BENCH_TMP/bare$n.log"
  SERVER_PID=$BARE_PID
  load "bare$n" "$BENCH_TMP/players$n.tsv" "ws://127.0.0.1:$port/ws"
  stop_pid "$SERVER_PID" bare_broadcast
  SERVER_PID=''
}

for n in 50 200; do
  step "WebSocket benchmark: N=$n, bridge"
  run_bridge "$n"
  step "WebSocket benchmark: N=$n, bare broadcast (ceiling)"
  run_bare "$n"
done

step "WebSocket benchmark: realtime.apply_moves per batch size"
# The ws200 players, present in their four rooms with a full move budget, each moving one tile:
# batches of 13 (N=50 at 5 Hz per 50 ms tick), 50 (N=200), 100 and 200 moves, five times each, in one
# transaction that is rolled back (so nothing is announced and nothing stays).
sql -F '|' >"$BENCH_TMP/batches.txt" <<'SQL'
BEGIN;
CREATE TEMP TABLE batch_cost (moves integer, ms double precision);
DO $$
DECLARE
  n integer;
  batch jsonb;
  t0 timestamptz;
BEGIN
  FOREACH n IN ARRAY ARRAY[13, 50, 100, 200] LOOP
    FOR rep IN 1..5 LOOP
      UPDATE app.player_presence p SET status = 'online', x = 10, y = 12, move_budget = 11,
             moved_at = clock_timestamp() - interval '1 second'
        FROM app.users u WHERE u.id = p.user_id AND u.display_name LIKE 'ws200-%';
      SELECT jsonb_agg(jsonb_build_object('user_id', id, 'x', 11, 'y', 12, 'direction', 'right'))
        INTO batch
        FROM (SELECT u.id FROM app.users u JOIN app.player_presence p ON p.user_id = u.id
               WHERE u.display_name LIKE 'ws200-%'
               ORDER BY row_number() OVER (PARTITION BY p.room_id ORDER BY u.id), p.room_id
               LIMIT n) s;
      t0 := clock_timestamp();
      PERFORM realtime.apply_moves(batch);
      INSERT INTO batch_cost VALUES (n, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
  END LOOP;
END $$;
SELECT moves, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2),
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) / moves)::numeric, 3)
  FROM batch_cost GROUP BY moves ORDER BY moves;
ROLLBACK;
SQL
cat "$BENCH_TMP/batches.txt"

step "WebSocket benchmark: profile of the bridge under the N=50 load (py-spy)"
profile="(no profile: py-spy is not installed in .venv; it is in the dev extras of pyproject.toml)"
if [[ -x $VENV/bin/py-spy ]]; then
  port=$(free_port)
  bridge_start "$FRESH_DB_URL" "$port" "$BENCH_TMP/bridgeprof.log"
  SERVER_PID=$BRIDGE_PID
  WS_WARMUP=2 WS_DURATION=$((PROFILE_SECONDS + 4)) load profile "$BENCH_TMP/playersprof.tsv" "ws://127.0.0.1:$port/ws" &
  LOADGEN_PID=$!
  # Joining takes a second or two; then sample through the middle of the run. py-spy pauses the bridge
  # for each of its 100 samples a second (--nonblocking would not, but then many stacks come out
  # half-built); the run's p99 is reported beside the profile to show what that cost.
  sleep 6
  if timeout $((PROFILE_SECONDS + 30)) "$VENV/bin/py-spy" record --pid "$SERVER_PID" --duration "$PROFILE_SECONDS" \
    --rate 100 --format raw -o "$BENCH_TMP/profile.folded" >"$BENCH_TMP/py-spy.log" 2>&1; then
    profile=$("$VENV/bin/python" "$BENCH_DIR/profile_summary.py" "$BENCH_TMP/profile.folded")
    [[ -z ${WS_PROFILE_OUT:-} ]] || cp "$BENCH_TMP/profile.folded" "$WS_PROFILE_OUT"
  else
    cat "$BENCH_TMP/py-spy.log" >&2
    profile="(no profile: py-spy could not attach to the bridge; see its message in the bench output)"
  fi
  wait "$LOADGEN_PID" || warn "the load generator of the profile run failed"
  LOADGEN_PID=''
  stop_pid "$SERVER_PID" bridge
  SERVER_PID=''
fi

step "WebSocket benchmark: results"
field() { "$VENV/bin/python" -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d = d[k]
print(d)' "$BENCH_TMP/$1.json" "$2"; }
verdict() { awk -v a="$1" -v b="$2" "BEGIN {print (a $3 b) ? \"met\" : \"NOT met\"}"; }
p99_50=$(field bridge50 latency_ms.p99)
bare_p99_50=$(field bare50 latency_ms.p99)
frames50=$(field bridge50 frames_per_s) bare_frames50=$(field bare50 frames_per_s)
frames200=$(field bridge200 frames_per_s) bare_frames200=$(field bare200 frames_per_s)
hwm200=$(field bridge200 rss_hwm_kb)
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f%%", 100 * a / b}'; }
pg_version=$(sql -c 'SHOW server_version')
batch_rows=$(awk -F'|' '{printf "| %s | %s ms | %s ms |\n", $1, $2, $3}' "$BENCH_TMP/batches.txt")
profile_run=$(field profile latency_ms.p99 2>/dev/null || echo '?')

mkdir -p bench/results
cat >bench/results/ws.md <<MD
## Presence over WebSocket (bridge vs a bare broadcast server)

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $(bench_machine)
- Command: \`make bench\` (bench/bench_ws.sh); each run is \`.venv/bin/python bench/ws_load.py run --players <N players> --warmup $WS_WARMUP --duration $WS_DURATION\` against a freshly started server
- Load: one separate process (bench/ws_load.py: uvloop, websockets client, no compression) connects N players with \`?token=\` over loopback, joins them, then each moves one tile at 5 Hz (back and forth along its row, 5 tiles/s under max_speed 10), phases spread evenly. Latency is from a move's send to its arrival in a \`moves\` frame at each OTHER player of the room, matched by (user_id, x, y, direction); counted over a ${WS_DURATION} s window after a ${WS_WARMUP} s warm-up. Players and tokens are made by the owner in SQL (auth.issue_token).
- bridge: \`.venv/bin/python -m bridge\` (uvicorn websockets-sansio, permessage-deflate off, 50 ms tick, pool of 4) as the bridge role on PostgreSQL $pg_version in a fresh throwaway cluster (default durability; apply_moves commits with synchronous_commit off). bare: bench/bare_broadcast.py, the same uvicorn settings, the same ticker and per-socket writer tasks, each room's frame encoded once, no database, no trimming of a mover's own move.
- Everything shares the machine's CPUs: server, PostgreSQL, load generator, and whatever else runs (the "rest of the machine" column). The bench database has track_functions = all and, on the throwaway cluster, log_min_duration_statement = 0 for the bridge role (about 60 log lines/s).

$("$VENV/bin/python" "$BENCH_DIR/ws_load.py" report --dir "$BENCH_TMP")

Targets:
- p99 under 100 ms at N=50 in one room: $p99_50 ms (bare: $bare_p99_50 ms): **$(verdict "$p99_50" 100 '<')**.
- delivered frames/s at least 50% of the bare ceiling: N=50 $(pct "$frames50" "$bare_frames50"), N=200 $(pct "$frames200" "$bare_frames200"): **$(verdict "$(awk -v a="$frames50" -v b="$bare_frames50" -v c="$frames200" -v d="$bare_frames200" 'BEGIN {print (a / b < c / d) ? a / b : c / d}')" 0.5 '>=')**.
- bridge RSS under 150 MB at N=200: peak $(awk -v kb="$hwm200" 'BEGIN {printf "%.0f MB", kb / 1024}'): **$(verdict "$hwm200" 153600 '<')**.

Reading the frames/s ratio: both servers batch per 50 ms tick, so a socket gets at most 20 \`moves\` frames/s and the
offered load (5 Hz per player) is far below either server's saturation. The ratio says whether the bridge keeps its tick under
that load; a bridge that falls behind delivers fewer, larger frames, and its latency grows (compare entries/s and p99).

What one realtime.apply_moves call costs by batch size, alone on the database (the ws200 players, one tile each, five runs
each, median; rolled back):

| moves per call | ms per call | ms per move |
|---:|---:|---:|
$batch_rows

Where the bridge's CPU goes under the N=50 load (py-spy record, ${PROFILE_SECONDS} s at 100 Hz, idle samples left out; a
separate run, p99 $profile_run ms while profiled). Python frames only: time inside uvloop's C code (polling, reading
sockets, running callbacks) shows as the event loop.

$profile
MD
info "wrote bench/results/ws.md"
