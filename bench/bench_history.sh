#!/usr/bin/env bash
# History benchmark (issue 9, section 6): GET /chat_sessions and a GET /chat_messages page at 1M generated
# messages, beside GET /bench_baseline, in the same run and on the same PostgREST.
#   (a) GET /bench_baseline                 the baseline
#   (b) GET /chat_sessions, a fresh account  no sessions: must not cost more because the table is large
#   (c) GET /chat_sessions, a busy account   its sessions include the 200,000-message one
#   (d) GET /chat_messages, one page of 50   keyset page of the long session before a random id
# (c)'s unread counts (half of the long session is unread) come from app.chat_unread_counts; the script
# checks that GET /chat_sessions shows the counts the history gives before it measures anything.
# Also records EXPLAIN (ANALYZE, BUFFERS) of (b) and (c) as PostgREST runs them, with jit on and with the
# database's setting for the API roles (off). Writes bench/results/history.md. HISTORY_LONG (200000),
# HISTORY_PER (267), HISTORY_ROUNDS (3).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
source "$ARK_ROOT/scripts/lib/postgrest.sh"
cd "$ARK_ROOT"

HISTORY_LONG=${HISTORY_LONG:-200000}
HISTORY_PER=${HISTORY_PER:-267}
HISTORY_ROUNDS=${HISTORY_ROUNDS:-3}
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ark-bench.XXXXXX")
PGRST_PID=''
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -z $PGRST_PID ]] || stop_pid "$PGRST_PID" PostgREST
  fresh_db_close
  rm -rf "$BENCH_TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "history benchmark: bootstrap"
scripts/bootstrap.sh
command -v wrk >/dev/null || die "wrk is not installed"

step "history benchmark: fresh database with generated chats"
fresh_db_deploy durable
fresh_db_bench_endpoints
use_owner_url "$FRESH_DB_URL"
sql() { psql "$OWNER_URL_NOPW" -XAtq -v ON_ERROR_STOP=1 "$@"; }
messages=$(sql -v long="$HISTORY_LONG" -v per="$HISTORY_PER" -f bench/sql/history_1m.sql | tail -n1)
info "$messages messages"
fresh=$(sql -c "INSERT INTO app.users (display_name, avatar_sprite) VALUES ('fresh', 'brendan') RETURNING id" | head -n1)
read -r long_session busy lo hi < <(sql -F ' ' -c "SELECT s.id, s.user_id, min(m.id), max(m.id) FROM app.chat_sessions s
  JOIN app.chat_messages m ON m.session_id = s.id GROUP BY s.id ORDER BY count(*) DESC LIMIT 1")
token() { sql -c "SELECT auth.issue_token('$1'::uuid, interval '1 hour') ->> 'token'"; }
FRESH_TOKEN=$(token "$fresh") BUSY_TOKEN=$(token "$busy")

step "history benchmark: PostgREST"
export PGRST_LOG_LEVEL=crit
port=$(free_port)
postgrest_start "$FRESH_DB_URL" "$port" "$BENCH_TMP/postgrest.log"
base="http://127.0.0.1:$port"
check() {
  local code
  code=$(curl -s -o "$BENCH_TMP/check.out" -w '%{http_code}' "$@")
  [[ $code == 2* ]] || { cat "$BENCH_TMP/check.out" >&2; die "$* answered HTTP $code"; }
}
check "$base/bench_baseline"
check -H "Authorization: Bearer $FRESH_TOKEN" "$base/chat_sessions"
check -H "Authorization: Bearer $BUSY_TOKEN" "$base/chat_sessions"
# The busy account's unread counts as GET /chat_sessions shows them, and as the history gives them.
shown=$(python3 -c 'import json, sys
print(" ".join(sorted("%s=%s" % (r["id"], r["unread_count"]) for r in json.load(sys.stdin))))' <"$BENCH_TMP/check.out")
counted=$(sql -c "SELECT string_agg(s.id || '=' || (SELECT count(*) FROM app.chat_messages m WHERE m.session_id = s.id
    AND m.id > coalesce((SELECT r.last_read_message_id FROM app.chat_read_markers r WHERE r.session_id = s.id
                          AND r.user_id = '$busy'), 0) AND m.sender_id IS DISTINCT FROM '$busy'), ' ' ORDER BY s.id::text)
  FROM app.chat_sessions s WHERE '$busy' IN (s.user_id, s.other_user_id)")
[[ $shown == "$counted" ]] || die "GET /chat_sessions shows unread counts $shown; the history gives $counted"
busy_unread=$(tr ' ' '\n' <<<"$counted" | awk -F= '{n += $2} END {print n}')
info "the busy account has $busy_unread unread messages, as the history says"

step "history benchmark: wrk"
export HISTORY_SESSION=$long_session HISTORY_LO=$lo HISTORY_HI=$hi HISTORY_TOKEN=$BUSY_TOKEN
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d3s "$base/bench_baseline" >/dev/null
# The four alternate for HISTORY_ROUNDS rounds, since this machine's speed drifts (other work shares it) by
# more than the effects measured: each round's figures are set beside that round's baseline. The table
# shows each endpoint's median round (by rate, latency and p99 separately) and the median of its ratios.
declare -A rounds_rps rounds_p50 rounds_p99 rounds_ratio errors
for ((round = 1; round <= HISTORY_ROUNDS; round++)); do
  info "round $round of $HISTORY_ROUNDS"
  for run in baseline fresh busy page; do
    case $run in
      baseline) bench_wrk "$run" bench/wrk/get.lua "$base/bench_baseline" ;;
      fresh) BENCH_TOKEN=$FRESH_TOKEN bench_wrk "$run" bench/wrk/get_bearer.lua "$base/chat_sessions" ;;
      busy) BENCH_TOKEN=$BUSY_TOKEN bench_wrk "$run" bench/wrk/get_bearer.lua "$base/chat_sessions" ;;
      page) bench_wrk "$run" bench/wrk/chat_history.lua "$base/chat_messages" ;;
    esac
    [[ $run == baseline ]] && round_baseline=$BENCH_rps
    rounds_rps[$run]+="$BENCH_rps " rounds_p50[$run]+="$BENCH_p50_us " rounds_p99[$run]+="$BENCH_p99_us "
    rounds_ratio[$run]+="$(awk -v a="$BENCH_rps" -v b="$round_baseline" 'BEGIN {print a / b}') "
    errors[$run]=$((${errors[$run]:-0} + BENCH_errors))
  done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
declare -A rps p50 p99 share
for run in baseline fresh busy page; do
  rps[$run]=$(median "${rounds_rps[$run]}") p50[$run]=$(median "${rounds_p50[$run]}")
  p99[$run]=$(median "${rounds_p99[$run]}") share[$run]=$(median "${rounds_ratio[$run]}")
done

# The plans, as PostgREST's connection (authenticator, SET ROLE player) runs them, the second time in that
# connection: times, JIT, and the buffers the whole plan touched (its top node's line, the first).
explain_summary() {
  grep -E '^(Planning|Execution) Time|^JIT|^  Functions|^ *Buffers' | awk '/Buffers/ && seen++ {next} {sub(/^ +/, ""); print}'
}
query='WITH pgrst_source AS (SELECT "api"."chat_sessions".* FROM "api"."chat_sessions" LIMIT 1000 OFFSET 0)
SELECT pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '"'[]'"') AS body FROM (SELECT * FROM pgrst_source) _postgrest_t'
explain() {
  psql "$(pg_url authenticator "$AUTHENTICATOR_PASSWORD")" -XAtq -v ON_ERROR_STOP=1 <<SQL | explain_summary
BEGIN;
SET LOCAL jit = $2;
SELECT set_config('request.jwt.claims', json_build_object('role', 'player', 'sub', '$1')::text, true) \g /dev/null
SET LOCAL ROLE player;
-- Once to warm this new connection's catalog caches, as PostgREST's long-lived connections are; then measured.
EXPLAIN (ANALYZE, BUFFERS) $query \g /dev/null
EXPLAIN (ANALYZE, BUFFERS) $query;
ROLLBACK;
SQL
}
plans=''
for who in fresh busy; do
  id=$fresh; [[ $who == busy ]] && id=$busy
  for jit in on off; do
    plans+="- $who account, jit $jit: $(explain "$id" "$jit" | tr '\n' ';' | sed 's/;$//; s/;/, /g')"$'\n'
  done
done

percent() { awk -v a="$1" 'BEGIN {printf "%.0f%%", 100 * a}'; }
verdict() { awk -v a="$1" -v b="$2" "BEGIN {print (a $3 b) ? \"met\" : \"NOT met\"}"; }
row() {
  printf '| %s | %.0f | %s | %s | %s | %s |\n' "$1" "${rps[$2]}" "$(ms "${p50[$2]}")" "$(ms "${p99[$2]}")" \
    "${errors[$2]}" "$(percent "${share[$2]}")"
}
pg_version=$(sql -c 'SHOW server_version')
mkdir -p bench/results
cat >bench/results/history.md <<MD
## Chat sessions and history at $messages messages

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $(bench_machine)
- Command: \`make bench\` (bench/bench_history.sh): wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION --latency, one endpoint after another after a 3 s warm-up, over loopback, the four alternating for $HISTORY_ROUNDS rounds; each figure is the median of the rounds, and "vs baseline" the median of the rounds' ratios to their own baseline (errors: all rounds)
- Data: bench/sql/history_1m.sql: 2001 users, 3000 sessions, $messages messages ($HISTORY_LONG in one private session); the busy account is in that session and has $busy_unread unread messages (GET /chat_sessions is checked against a count of the history before the run)
- Server: PostgreSQL $pg_version in a fresh throwaway cluster (default durability), PostgREST 12.0.2 with the pre-request check, wrk, PostgREST and PostgreSQL sharing the same CPUs

- Flat with data size: GET /chat_sessions for the busy account (its unread count over $busy_unread messages) at 70% or more of a fresh account's rate, each against its round's baseline: $(percent "$(awk -v a="${share[busy]}" -v b="${share[fresh]}" 'BEGIN {print a / b}')"): **$(verdict "$(awk -v a="${share[busy]}" -v b="${share[fresh]}" 'BEGIN {print a / b}')" 0.7 '>=')** (the busy account at $(percent "${share[busy]}") of the baseline, the fresh one at $(percent "${share[fresh]}"); v0.4.1: 2%, p99 804 ms).
- its p99 under 100 ms: $(ms "${p99[busy]}"): **$(verdict "${p99[busy]}" 100000 '<')**.

| endpoint | requests/s | median | p99 | errors | vs baseline |
|---|---:|---:|---:|---:|---:|
$(row 'GET /bench_baseline' baseline)
$(row 'GET /chat_sessions, a fresh account' fresh)
$(row 'GET /chat_sessions, the busy account' busy)
$(row 'GET /chat_messages, one page of 50 of the long session' page)

EXPLAIN (ANALYZE, BUFFERS) of GET /chat_sessions as PostgREST runs it (authenticator, SET ROLE player; the second run in the connection):
${plans%$'\n'}
MD
info "wrote bench/results/history.md"
