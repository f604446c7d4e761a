#!/usr/bin/env bash
# Resume benchmark: PostgREST and the WebSocket bridge on a fresh, deployed database.
#   (a) reconnect storm: RESUME_USERS users, each with a socket open and a private session with a
#       partner of its own, store their welcome cursor; all sockets close; every partner sends
#       RESUME_MISSED messages through api.send_message (as the owner in SQL with the partner's claims,
#       one committed transaction per message); then every user reconnects at once and resumes from its
#       cursor (bench/resume_load.py storm). Timed from the start of the storm to each socket's resumed
#       frame; every missed message must arrive exactly once, or the benchmark fails. The baseline is
#       the same reconnect of the same sockets with nothing missed and no resume (connect, welcome,
#       ping, pong); the two alternate for RESUME_ROUNDS rounds, since this machine's speed drifts, and
#       the medians of the rounds are the result.
#   (b) chat latency beside a held transaction: RESUME_SENDERS keep-alive HTTP clients send
#       POST /rpc/send_message at RESUME_RATE messages/s in all, as the partners; latency from the send
#       to the user's socket in a baseline window, then while another connection sits idle in a
#       transaction that has an xid (BEGIN; SELECT pg_current_xact_id();), then after it rolled back.
#       realtime.chat_stamp() is timed as the bridge role, and its pg_stat_user_functions counters are
#       read at each window's edge (bench/resume_load.py latency).
# The bench database is changed as its owner, and the results say so: the send_message rate limit
# (app.rate_limit_rules, 20 per 10 s) is raised to 1,000,000 per second, so that the benchmark measures
# the path and not the limiter; track_functions = all.
# Writes bench/results/resume.md.
#
# RESUME_USERS (200), RESUME_MISSED (10 per user), RESUME_ROUNDS (3) tune part (a); RESUME_SENDERS (16),
# RESUME_RATE (200 messages/s), RESUME_WARMUP (3 s), RESUME_BASELINE (15 s), RESUME_HELD (60 s) and
# RESUME_AFTER (15 s) tune part (b). With BENCH_JSON_DIR set, the load generator's JSON (per-socket
# breaches, latency second by second) is copied there, also when the run fails.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
source "$ARK_ROOT/scripts/lib/postgrest.sh"
source "$BENCH_DIR/realtime_lib.sh"
cd "$ARK_ROOT"

RESUME_USERS=${RESUME_USERS:-200}
RESUME_MISSED=${RESUME_MISSED:-10}
RESUME_ROUNDS=${RESUME_ROUNDS:-3}
RESUME_SENDERS=${RESUME_SENDERS:-16}
RESUME_RATE=${RESUME_RATE:-200}
RESUME_WARMUP=${RESUME_WARMUP:-3}
RESUME_BASELINE=${RESUME_BASELINE:-15}
RESUME_HELD=${RESUME_HELD:-60}
RESUME_AFTER=${RESUME_AFTER:-15}

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ark-bench.XXXXXX")
PGRST_PID=''
BRIDGE_PID=''
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -z $BRIDGE_PID ]] || stop_pid "$BRIDGE_PID" bridge
  [[ -z $PGRST_PID ]] || stop_pid "$PGRST_PID" PostgREST
  fresh_db_close
  # Kept on failure too: a breach's details are in the JSON.
  if [[ -n ${BENCH_JSON_DIR:-} ]]; then mkdir -p "$BENCH_JSON_DIR" && { cp "$BENCH_TMP"/*.json "$BENCH_JSON_DIR"/ 2>/dev/null || true; }; fi
  rm -rf "$BENCH_TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "resume benchmark: bootstrap"
scripts/bootstrap.sh

step "resume benchmark: fresh database"
fresh_db_deploy durable
use_owner_url "$FRESH_DB_URL"
DB=$OWNER_URL_NOPW
db_name=$URL_DB
# The load generator times chat_stamp as the bridge calls it: the bridge role's URL, in its environment only.
BENCH_BRIDGE_URL=$(pg_url bridge "$BRIDGE_PASSWORD")
sql() { psql "$DB" -XAtq -v ON_ERROR_STOP=1 "$@"; }
pg_pid=$(postmaster_pid "$DB")

step "resume benchmark: $RESUME_USERS users, each with a partner and a private session (as the owner)"
sql -c "ALTER DATABASE \"$db_name\" SET track_functions = 'all'" ${BENCH_EXTRA_SQL:+-c "$BENCH_EXTRA_SQL"}
limit_before=$(sql -c "SELECT max_events || ' per ' || per FROM app.rate_limit_rules WHERE action = 'send_message'")
sql -c "UPDATE app.rate_limit_rules SET max_events = 1000000, per = interval '1 second' WHERE action = 'send_message'"
limit_after=$(sql -c "SELECT max_events || ' per ' || per FROM app.rate_limit_rules WHERE action = 'send_message'")
info "send_message rate limit raised for this database: $limit_before -> $limit_after"
# A held transaction must stay held: a timeout would end the window early (the run checks it too).
idle_timeout=$(sql -c 'SHOW idle_in_transaction_session_timeout')
[[ $idle_timeout == 0 ]] || die "idle_in_transaction_session_timeout is $idle_timeout: the held transaction would not last"

# One line per user: user_id, token, session_id, partner_id, partner token. Only the users open sockets;
# the partners only send, so every message has exactly one reader on the bridge.
sql -F $'\t' -v users="$RESUME_USERS" >"$BENCH_TMP/users.tsv" <<'SQL'
WITH made AS (
  INSERT INTO app.users (display_name, avatar_sprite)
  SELECT kind || '-' || g, 'brendan' FROM generate_series(1, :users) g, unnest(ARRAY['reader', 'partner']) kind
  RETURNING id, split_part(display_name, '-', 1) AS kind, split_part(display_name, '-', 2)::integer AS n
), sessions AS (
  INSERT INTO app.chat_sessions (type, user_id, other_user_id)
  SELECT 'private', r.id, p.id FROM made r JOIN made p ON p.n = r.n AND p.kind = 'partner' WHERE r.kind = 'reader'
  RETURNING id, user_id, other_user_id
)
SELECT s.user_id, auth.issue_token(s.user_id, interval '1 hour') ->> 'token', s.id,
       s.other_user_id, auth.issue_token(s.other_user_id, interval '1 hour') ->> 'token'
  FROM sessions s JOIN made r ON r.id = s.user_id
 ORDER BY r.n;
SQL
(($(wc -l <"$BENCH_TMP/users.tsv") == RESUME_USERS)) || die "expected $RESUME_USERS users"
sql -c 'ANALYZE'

step "resume benchmark: PostgREST and the bridge"
export PGRST_LOG_LEVEL=crit
api_port=$(free_port)
postgrest_start "$FRESH_DB_URL" "$api_port" "$BENCH_TMP/postgrest.log"
api="http://127.0.0.1:$api_port"
bridge_port=$(free_port)
bridge_start "$FRESH_DB_URL" "$bridge_port" "$BENCH_TMP/bridge.log"

# A send must work before it is measured: a fast stream of errors is no result. This one reaches the first
# user before any socket opens, so it is below every welcome cursor and never counted.
IFS=$'\t' read -r _ _ first_session _ first_partner_token <"$BENCH_TMP/users.tsv"
code=$(curl -s -o "$BENCH_TMP/check.out" -w '%{http_code}' -H @- -X POST -H 'Content-Type: application/json' \
  -d "{\"session_id\":\"$first_session\",\"content\":\"check\"}" "$api/rpc/send_message" \
  <<<"Authorization: Bearer $first_partner_token") || true
[[ $code == 2* ]] || { cat "$BENCH_TMP/check.out" >&2; die "/rpc/send_message answered HTTP $code"; }

resume_load() {
  BENCH_OWNER_URL=$DB BENCH_BRIDGE_URL=$BENCH_BRIDGE_URL timeout "$1" "$VENV/bin/python" "$BENCH_DIR/resume_load.py" "${@:2}" \
    --ws "ws://127.0.0.1:$bridge_port/ws" --users "$BENCH_TMP/users.tsv" \
    --bridge-pid "$BRIDGE_PID" ${pg_pid:+--pg-pid "$pg_pid"}
}
storm_args=(--missed "$RESUME_MISSED" --rounds "$RESUME_ROUNDS")
latency_args=(--api "$api" --postgrest-pid "$PGRST_PID" --senders "$RESUME_SENDERS" --rate "$RESUME_RATE"
  --warmup "$RESUME_WARMUP" --baseline "$RESUME_BASELINE" --held "$RESUME_HELD" --after "$RESUME_AFTER")

step "resume benchmark: reconnect storm, $RESUME_ROUNDS rounds ($RESUME_USERS sockets, $RESUME_MISSED missed messages each)"
# Exit status 3 is a breach of exactly-once delivery: the details are in the output above it.
resume_load $((RESUME_ROUNDS * 90 + 60)) storm "${storm_args[@]}" --out "$BENCH_TMP/storm.json" \
  || die "the reconnect storm failed (exit $?): lost, duplicated or foreign messages are a bug in the bridge"

step "resume benchmark: chat latency, ${RESUME_BASELINE} s baseline, ${RESUME_HELD} s with a transaction held open, ${RESUME_AFTER} s after"
resume_load $((RESUME_WARMUP + RESUME_BASELINE + RESUME_HELD + RESUME_AFTER + 120)) latency "${latency_args[@]}" \
  --out "$BENCH_TMP/latency.json" \
  || die "the latency run failed (exit $?): a message lost or delivered twice is a bug in the bridge"

step "resume benchmark: results"
pg_version=$(sql -c 'SHOW server_version')
report() { "$VENV/bin/python" "$BENCH_DIR/resume_load.py" report --dir "$BENCH_TMP" --part "$1"; }
mkdir -p bench/results
cat >bench/results/resume.md <<MD
## Resume (a reconnect storm through the bridge, and chat latency while a transaction is held open)

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $(bench_machine)
- Command: \`make bench\` (bench/bench_resume.sh): \`.venv/bin/python bench/resume_load.py storm ${storm_args[*]}\`, then \`.venv/bin/python bench/resume_load.py latency --senders $RESUME_SENDERS --rate $RESUME_RATE --warmup $RESUME_WARMUP --baseline $RESUME_BASELINE --held $RESUME_HELD --after $RESUME_AFTER\`
- Server: PostgreSQL $pg_version in a fresh throwaway cluster (default durability: every commit flushes WAL), PostgREST 12.0.2 (db-pool from db/postgrest.conf), the bridge (\`.venv/bin/python -m bridge\`) and the load generator (bench/resume_load.py, one process, uvloop) all on the same CPUs, over loopback
- Users: $RESUME_USERS, each with a private session with a partner of its own; only the users open sockets (\`?token=\`), the partners only send, so each message has exactly one reader.
- Changed in the bench database, as its owner: the send_message rate limit in app.rate_limit_rules, **$limit_before raised to $limit_after** (else a partner could send at most 20 messages per 10 s); track_functions = all.

### Reconnect storm

Each round: all $RESUME_USERS sockets reconnect at once with nothing missed and no resume (the baseline:
connect, welcome, ping, pong) and store their welcome's cursor; they close; every partner sends
$RESUME_MISSED messages through \`api.send_message\` (as the owner in SQL with the partner's claims, one committed
transaction per message, the same rows a REST call stores) and the run waits until the bridge's tail has
stamped them; then all $RESUME_USERS reconnect at once (no gate) and send \`{"type":"resume","cursor":C}\` as their
first frame. A socket is done at its \`resumed\` frame (or, in the baseline, its \`pong\`); times are from the
start of the reconnect. Every missed message id must arrive exactly once on its reader's socket and nothing
else may arrive (checked a while past each socket's \`resumed\`); any breach fails the benchmark.
The two alternate for $RESUME_ROUNDS rounds, after one warm-up reconnect. CPU seconds cover the reconnect and those
quiet seconds. The bridge runs with its defaults: one pool of 4 database connections (BRIDGE_POOL_SIZE) serves
both the \`realtime.chat_stamp(true)\` every new socket waits for before its welcome (so that its cursor covers
everything committed before it) and every replay page: in a storm, welcomes and replays queue for the same connections.

$(report storm)

### Chat latency while a transaction is held open

$RESUME_SENDERS keep-alive HTTP/1.1 clients send \`POST /rpc/send_message\` as the partners, paced at
$RESUME_RATE messages/s in all; the content carries a nonce, and the reader's socket records arrival minus send
time (by the send's start). After a ${RESUME_WARMUP}-s warm-up: a ${RESUME_BASELINE}-s baseline window, then ${RESUME_HELD} s while the owner, on
a connection of its own, sits idle inside \`BEGIN; SELECT pg_current_xact_id();\` (so the database's xmin
horizon stays behind it), then ${RESUME_AFTER} s after its rollback; the held window is also cut into equal slices, to
show a trend. \`realtime.chat_stamp()\` is timed here as the bridge role every 0.2 s (calls that found the bridge's
tail holding the sequencer's lock return NULL at once and are left out), and its pg_stat_user_functions
counters are read at each window's edge (all callers, the bridge's tail included; backends report them
about once a second, so an edge is blurred by that much).

$(report latency)
MD
info "wrote bench/results/resume.md"
