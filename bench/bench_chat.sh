#!/usr/bin/env bash
# Chat benchmark: PostgREST and the WebSocket bridge on a fresh, deployed database.
#   (a) 100 users with a socket open on the bridge; POST /rpc/send_message into 50 private sessions
#       (bench/chat_load.py, 16 concurrent keep-alive HTTP clients): messages/s, and the latency from
#       the send to the partner's socket; the baseline, with the same client and concurrency, is
#       POST /rpc/bench_noop. The two alternate for CHAT_ROUNDS rounds (baseline, send, baseline, send,
#       ...), since this machine's speed drifts by more than the effects measured: each round's send rate
#       is set beside its own baseline, and the median of the rounds' ratios is the result. Then one send
#       phase more with synchronous_commit = off for the bench database, as a diagnostic of what the
#       commit's WAL flush costs.
#   (b) history: GET /chat_messages, 50 messages before a random id of a 100,000-message session, as
#       its participant, with wrk (the settings of bench_rest.sh), beside GET /bench_baseline; and the
#       EXPLAIN (ANALYZE) of that page.
# The bench database is changed as its owner, and the results say so: the send_message rate limit
# (app.rate_limit_rules, 20 per 10 s) is raised to 1,000,000 per second, so that the benchmark measures
# the path and not the limiter; track_functions = all and track_wal_io_timing = on.
# Writes bench/results/chat.md.
#
# CHAT_CONCURRENCY (16), CHAT_ROUNDS (3), CHAT_WARMUP (3) and CHAT_DURATION (10 s per phase) tune part (a).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
source "$ARK_ROOT/scripts/lib/postgrest.sh"
source "$BENCH_DIR/realtime_lib.sh"
cd "$ARK_ROOT"

CHAT_CONCURRENCY=${CHAT_CONCURRENCY:-16}
CHAT_WARMUP=${CHAT_WARMUP:-3}
CHAT_DURATION=${CHAT_DURATION:-10}
CHAT_ROUNDS=${CHAT_ROUNDS:-3}
HISTORY_MESSAGES=100000

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ark-bench.XXXXXX")
PGRST_PID=''
BRIDGE_PID=''
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -z $BRIDGE_PID ]] || stop_pid "$BRIDGE_PID" bridge
  [[ -z $PGRST_PID ]] || stop_pid "$PGRST_PID" PostgREST
  fresh_db_close
  rm -rf "$BENCH_TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "chat benchmark: bootstrap"
scripts/bootstrap.sh
command -v wrk >/dev/null || die "wrk is not installed"

step "chat benchmark: fresh database"
fresh_db_deploy durable
fresh_db_bench_endpoints
use_owner_url "$FRESH_DB_URL"
DB=$OWNER_URL_NOPW
db_name=$URL_DB
sql() { psql "$DB" -XAtq -v ON_ERROR_STOP=1 "$@"; }
pg_pid=$(postmaster_pid "$DB")

step "chat benchmark: users, sessions and a ${HISTORY_MESSAGES}-message history (as the owner)"
sql -c "ALTER DATABASE \"$db_name\" SET track_functions = 'all'" \
  -c "ALTER DATABASE \"$db_name\" SET track_wal_io_timing = on" ${BENCH_EXTRA_SQL:+-c "$BENCH_EXTRA_SQL"}
limit_before=$(sql -c "SELECT max_events || ' per ' || per FROM app.rate_limit_rules WHERE action = 'send_message'")
sql -c "UPDATE app.rate_limit_rules SET max_events = 1000000, per = interval '1 second' WHERE action = 'send_message'"
limit_after=$(sql -c "SELECT max_events || ' per ' || per FROM app.rate_limit_rules WHERE action = 'send_message'")
info "send_message rate limit raised for this database: $limit_before -> $limit_after"

# 100 users in 50 private sessions (users 2k-1 and 2k), one line per user, the pair's lines adjacent:
# user_id, token, session_id, partner_id.
sql -F $'\t' >"$BENCH_TMP/users.tsv" <<'SQL'
WITH made AS (
  INSERT INTO app.users (display_name, avatar_sprite)
  SELECT 'chat-' || g, 'brendan' FROM generate_series(1, 100) g
  RETURNING id, split_part(display_name, '-', 2)::integer AS n
), sessions AS (
  INSERT INTO app.chat_sessions (type, user_id, other_user_id)
  SELECT 'private', a.id, b.id FROM made a JOIN made b ON b.n = a.n + 1 WHERE a.n % 2 = 1
  RETURNING id, user_id, other_user_id
)
SELECT m.id, auth.issue_token(m.id, interval '1 hour') ->> 'token', s.id,
       CASE WHEN s.user_id = m.id THEN s.other_user_id ELSE s.user_id END
  FROM made m JOIN sessions s ON m.id IN (s.user_id, s.other_user_id)
 ORDER BY m.n;
SQL
(($(wc -l <"$BENCH_TMP/users.tsv") == 100)) || die "expected 100 chat users"

# The long session: two more users, and the messages written in one statement as the owner.
sql -F $'\t' -v messages="$HISTORY_MESSAGES" >"$BENCH_TMP/history.tsv" <<'SQL'
WITH pair AS (
  INSERT INTO app.users (display_name, avatar_sprite) VALUES ('history-a', 'brendan'), ('history-b', 'brendan')
  RETURNING id, display_name
), session AS (
  INSERT INTO app.chat_sessions (type, user_id, other_user_id)
  SELECT 'private', (SELECT id FROM pair WHERE display_name = 'history-a'), (SELECT id FROM pair WHERE display_name = 'history-b')
  RETURNING id, user_id, other_user_id
), stored AS (
  INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content, created_at)
  SELECT s.id, 'user', CASE WHEN g % 2 = 0 THEN s.user_id ELSE s.other_user_id END,
         CASE WHEN g % 2 = 0 THEN 'history-a' ELSE 'history-b' END,
         'history message ' || g || ': ' || repeat('lorem ipsum ', 1 + g % 8),
         now() - (:messages - g) * interval '1 second'
    FROM session s, generate_series(1, :messages) g
  RETURNING id
)
SELECT s.id, (SELECT min(id) FROM stored), (SELECT max(id) FROM stored),
       auth.issue_token(s.user_id, interval '1 hour') ->> 'token', s.user_id
  FROM session s;
SQL
sql -c 'ANALYZE'
IFS=$'\t' read -r HISTORY_SESSION HISTORY_LO HISTORY_HI HISTORY_TOKEN history_user <"$BENCH_TMP/history.tsv"
export HISTORY_SESSION HISTORY_LO HISTORY_HI HISTORY_TOKEN
info "history session: messages $HISTORY_LO to $HISTORY_HI"

step "chat benchmark: PostgREST and the bridge"
export PGRST_LOG_LEVEL=crit
api_port=$(free_port)
postgrest_start "$FRESH_DB_URL" "$api_port" "$BENCH_TMP/postgrest.log"
api="http://127.0.0.1:$api_port"
bridge_port=$(free_port)
bridge_start "$FRESH_DB_URL" "$bridge_port" "$BENCH_TMP/bridge.log"

# Each call must work before it is measured: a fast stream of errors is no result.
IFS=$'\t' read -r _ first_token first_session _ <"$BENCH_TMP/users.tsv"
check() {
  local code
  code=$(curl -s -o "$BENCH_TMP/check.out" -w '%{http_code}' -H @- "$@" <<<"Authorization: Bearer $first_token") || true
  [[ $code == 2* ]] || { cat "$BENCH_TMP/check.out" >&2; die "${*: -1} answered HTTP $code"; }
}
check -X POST -H 'Content-Type: application/json' -d '{}' "$api/rpc/bench_noop"
check -X POST -H 'Content-Type: application/json' -d "{\"session_id\":\"$first_session\",\"content\":\"check\"}" \
  "$api/rpc/send_message"
code=$(curl -s -o "$BENCH_TMP/page.json" -w '%{http_code}' -H @- \
  "$api/chat_messages?session_id=eq.$HISTORY_SESSION&order=id.desc&limit=50&id=lt.$((HISTORY_LO + 500))" \
  <<<"Authorization: Bearer $HISTORY_TOKEN") || true
rows=$("$VENV/bin/python" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$BENCH_TMP/page.json" 2>/dev/null) || rows=0
if [[ $code != 200 || $rows != 50 ]]; then die "the history page answered HTTP $code with $rows messages, not 50"; fi

chat_load() {
  BENCH_OWNER_URL=$DB timeout $((2 * CHAT_ROUNDS * (CHAT_WARMUP + CHAT_DURATION + 5) + 120)) "$VENV/bin/python" "$BENCH_DIR/chat_load.py" run \
    --api "$api" --ws "ws://127.0.0.1:$bridge_port/ws" --users "$BENCH_TMP/users.tsv" \
    --concurrency "$CHAT_CONCURRENCY" --warmup "$CHAT_WARMUP" \
    --bridge-pid "$BRIDGE_PID" --postgrest-pid "$PGRST_PID" ${pg_pid:+--pg-pid "$pg_pid"} "$@"
}

step "chat benchmark: bench_noop and send_message, $CHAT_ROUNDS rounds ($CHAT_CONCURRENCY concurrent clients, 100 sockets)"
sql -c 'SELECT pg_stat_reset()' -c "SELECT pg_stat_reset_shared('wal')" >/dev/null
chat_load --rounds "$CHAT_ROUNDS" --duration "$CHAT_DURATION" --out "$BENCH_TMP/chat.json"
sleep 1.5 # backends report function statistics at most once a second
sql >"$BENCH_TMP/funcs.json" <<'SQL'
SELECT coalesce(json_object_agg(schemaname || '.' || funcname,
         json_build_object('calls', calls, 'total_ms', total_time, 'self_ms', self_time)), '{}')
  FROM pg_stat_user_functions
 WHERE (schemaname, funcname) IN (('api', 'send_message'), ('app', 'chat_store'), ('app', 'chat_message_json'),
                                  ('app', 'rate_limit_hit'), ('app', 'check_chat_content'), ('app', 'chat_content_ok'),
                                  ('api', 'bench_noop'), ('realtime', 'chat_tail'), ('realtime', 'chat_stamp'),
                                  ('realtime', 'chat_stream'))
SQL
sql -c 'SELECT row_to_json(w) FROM pg_stat_wal w' >"$BENCH_TMP/wal.json"

step "chat benchmark: send_message with synchronous_commit = off (diagnostic)"
# PostgREST's pooled connections read the database's settings when they open: restart it.
sql -c "ALTER DATABASE \"$db_name\" SET synchronous_commit = off"
stop_pid "$PGRST_PID" PostgREST
postgrest_start "$FRESH_DB_URL" "$api_port" "$BENCH_TMP/postgrest2.log"
check -X POST -H 'Content-Type: application/json' -d '{}' "$api/rpc/bench_noop"
chat_load --send-only --rounds 1 --duration "$CHAT_DURATION" --out "$BENCH_TMP/chat_sync_off.json"
sql -c "ALTER DATABASE \"$db_name\" RESET synchronous_commit"
stop_pid "$PGRST_PID" PostgREST
postgrest_start "$FRESH_DB_URL" "$api_port" "$BENCH_TMP/postgrest3.log"

step "chat benchmark: history pages (wrk)"
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d2s -s bench/wrk/chat_history.lua "$api/chat_messages" >/dev/null
declare -A rps p50 p99 errors cpu
cpu_read() { "$VENV/bin/python" "$BENCH_DIR/procstats.py" read "postgrest=$PGRST_PID" "postgres=tree:${pg_pid:-0}"; }
for run in baseline history; do
  before=$(cpu_read)
  case $run in
    baseline) bench_wrk "$run" bench/wrk/get.lua "$api/bench_baseline" ;;
    history) bench_wrk "$run" bench/wrk/chat_history.lua "$api/chat_messages" ;;
  esac
  after=$(cpu_read)
  rps[$run]=$BENCH_rps p50[$run]=$BENCH_p50_us p99[$run]=$BENCH_p99_us errors[$run]=$BENCH_errors
  declare -A used=()
  # shellcheck disable=SC2154 # bench_wrk sets BENCH_seconds through printf -v
  while IFS='=' read -r k v; do used[$k]=$v; done < <("$VENV/bin/python" "$BENCH_DIR/procstats.py" percent "$before" "$after" "$BENCH_seconds")
  cpu[$run]="${used[postgrest]}% / ${used[postgres]:-?}% / ${used[other]}%"
done

# The page as the participant sees it (role player, the JWT's claims), before the session's middle id. It is
# planned twice and the second is shown: PostgREST's connections are long-lived, so their catalog caches are
# warm (a session's first planning reads some 470 more buffers).
before=$(((HISTORY_LO + HISTORY_HI) / 2))
sql -v uid="$history_user" -v sid="$HISTORY_SESSION" -v before="$before" >"$BENCH_TMP/plan.txt" <<'SQL'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'uid', 'role', 'player')::text, true) \g /dev/null
SET LOCAL ROLE player;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT * FROM api.chat_messages WHERE session_id = :'sid' AND id < :before ORDER BY id DESC LIMIT 50 \g /dev/null
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT * FROM api.chat_messages WHERE session_id = :'sid' AND id < :before ORDER BY id DESC LIMIT 50;
ROLLBACK;
SQL
cat "$BENCH_TMP/plan.txt"
# PostgREST runs the page as a prepared statement. Whether PostgreSQL plans it anew for every request
# (a custom plan) or reuses one (generic) decides most of its cost: the statement as PostgREST 12 sends
# it, executed 7 times, then timed once as the plan cache chooses and once with the generic plan forced.
sql -v uid="$history_user" -v sid="$HISTORY_SESSION" -v lo="$HISTORY_LO" >"$BENCH_TMP/prepared.txt" <<'SQL'
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'uid', 'role', 'player')::text, true) \g /dev/null
SET LOCAL ROLE player;
PREPARE page(uuid, bigint, bigint, bigint) AS
  WITH pgrst_source AS (
    SELECT "api"."chat_messages".* FROM "api"."chat_messages"
     WHERE "api"."chat_messages"."session_id" = $1 AND "api"."chat_messages"."id" < $2
     ORDER BY "api"."chat_messages"."id" DESC LIMIT $3 OFFSET $4)
  SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total,
         coalesce(json_agg(_postgrest_t), '[]') AS body
    FROM (SELECT * FROM pgrst_source) _postgrest_t;
EXECUTE page(:'sid', :lo + 1000, 50, 0) \g /dev/null
EXECUTE page(:'sid', :lo + 2000, 50, 0) \g /dev/null
EXECUTE page(:'sid', :lo + 3000, 50, 0) \g /dev/null
EXECUTE page(:'sid', :lo + 4000, 50, 0) \g /dev/null
EXECUTE page(:'sid', :lo + 5000, 50, 0) \g /dev/null
EXECUTE page(:'sid', :lo + 6000, 50, 0) \g /dev/null
EXECUTE page(:'sid', :lo + 7000, 50, 0) \g /dev/null
SELECT 'after 7 executions: ' || custom_plans || ' custom plans, ' || generic_plans || ' generic'
  FROM pg_prepared_statements WHERE name = 'page';
SELECT 'as the plan cache chooses:';
EXPLAIN (ANALYZE, COSTS OFF) EXECUTE page(:'sid', :lo + 8000, 50, 0);
SET LOCAL plan_cache_mode = force_generic_plan;
SELECT 'generic plan forced:';
EXPLAIN (ANALYZE, COSTS OFF) EXECUTE page(:'sid', :lo + 9000, 50, 0);
ROLLBACK;
SQL
planning=$(grep -E '^(after 7|as the plan|generic plan forced)|Planning Time|Execution Time|Index Scan Backward' "$BENCH_TMP/prepared.txt" \
  | sed 's/^ *//; s/^-> *//')
printf '%s\n' "$planning"
index_line=$(grep -m1 -E 'Index (Only )?Scan' "$BENCH_TMP/plan.txt" | sed 's/^ *//; s/^-> *//') || index_line='(no index scan in the plan)'

step "chat benchmark: results"
field() { "$VENV/bin/python" -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d = d[k]
print(d)' "$BENCH_TMP/$1.json" "$2"; }
ratio_median=$(field chat summary.ratio) sock_p99=$(field chat summary.socket_ms.p99)
verdict() { awk -v a="$1" -v b="$2" "BEGIN {print (a $3 b) ? \"met\" : \"NOT met\"}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f%%", 100 * a / b}'; }
wrk_row() {
  printf '| %s | %.0f | %s | %s | %s | %s | %s |\n' "$1" "${rps[$2]}" "$(ms "${p50[$2]}")" "$(ms "${p99[$2]}")" \
    "${errors[$2]}" "$(ratio "${rps[$2]}" "${rps[baseline]}")" "${cpu[$2]}"
}
pg_version=$(sql -c 'SHOW server_version')

mkdir -p bench/results
cat >bench/results/chat.md <<MD
## Chat (send_message through PostgREST, delivery through the bridge, history pages)

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $(bench_machine)
- Command: \`make bench\` (bench/bench_chat.sh): \`.venv/bin/python bench/chat_load.py run --concurrency $CHAT_CONCURRENCY --rounds $CHAT_ROUNDS --warmup $CHAT_WARMUP --duration $CHAT_DURATION\` (bench_noop and send_message, alternating), then wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION --latency for the history pages and their baseline
- Server: PostgreSQL $pg_version in a fresh throwaway cluster (default durability: every commit flushes WAL), PostgREST 12.0.2 (db-pool from db/postgrest.conf), the bridge (\`.venv/bin/python -m bridge\`), the load generator and wrk all on the same CPUs, over loopback
- Load: 100 users, each with a socket open on the bridge for the whole run, in 50 private sessions; $CHAT_CONCURRENCY concurrent keep-alive HTTP/1.1 clients (bench/chat_load.py, one process, uvloop) send back to back, each into its own sessions, the two users of a session taking turns; the content carries a nonce, matched on the partner's socket. The baseline is POST /rpc/bench_noop with the same client, concurrency, player tokens and open sockets, measured just before each send phase: the phases alternate for $CHAT_ROUNDS rounds, each after a ${CHAT_WARMUP}-s warm-up.
- Changed in the bench database, as its owner: the send_message rate limit in app.rate_limit_rules, **$limit_before raised to $limit_after** (else 100 users could send at most 200 messages/s); track_functions = all and track_wal_io_timing = on.

$("$VENV/bin/python" "$BENCH_DIR/chat_load.py" report --dir "$BENCH_TMP")

Targets:
- send_message throughput at 50% or more of the baseline (the median of the rounds' ratios): $(ratio "$ratio_median" 1): **$(verdict "$ratio_median" 0.5 '>=')**.
- p99 from send to the recipient's socket under 100 ms (all rounds pooled): $sock_p99 ms: **$(verdict "$sock_p99" 100 '<')**.

History: a page of 50 messages before a random id of a $HISTORY_MESSAGES-message session, as its participant
(\`GET /chat_messages?session_id=eq.<id>&order=id.desc&limit=50&id=lt.<random>\`), wrk as in the REST section:

| endpoint | requests/s | median | p99 | errors | vs baseline | CPU: PostgREST / PostgreSQL / wrk and the rest of the machine |
|---|---:|---:|---:|---:|---:|---|
$(wrk_row 'GET /bench_baseline (one-row view, no RLS)' baseline)
$(wrk_row 'GET /chat_messages, one page of 50' history)

The index that serves the page: \`$index_line\`. The whole plan, as the participant (role player with the JWT's claims),
planned a second time in its session (warm catalog caches, as in PostgREST's long-lived connections),
\`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM api.chat_messages WHERE session_id = … AND id < $before ORDER BY id DESC LIMIT 50\`:

\`\`\`
$(cat "$BENCH_TMP/plan.txt")
\`\`\`

PostgREST sends the page as a prepared statement. Whether PostgreSQL plans it anew for each request or reuses a plan
(the statement as PostgREST 12 sends it, with the participant's claims, executed 7 times first; lines of its EXPLAIN ANALYZE):

\`\`\`
$planning
\`\`\`
MD
info "wrote bench/results/chat.md"
