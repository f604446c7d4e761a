#!/usr/bin/env bash
# History benchmark (issue 9, section 6): GET /chat_sessions and a GET /chat_messages page at 1M generated
# messages, beside GET /bench_baseline, in the same run and on the same PostgREST.
#   (a) GET /bench_baseline                 the baseline
#   (b) GET /chat_sessions, a fresh account  no sessions: must not cost more because the table is large
#   (c) GET /chat_sessions, a busy account   its sessions include the 200,000-message one
#   (d) GET /chat_messages, one page of 50   keyset page of the long session before a random id
# Also records EXPLAIN ANALYZE of (b) and (c) as PostgREST runs them, with jit on and with the database's
# setting for the API roles (off). Writes bench/results/history.md. HISTORY_LONG (200000), HISTORY_PER (267).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
source "$ARK_ROOT/scripts/lib/postgrest.sh"
cd "$ARK_ROOT"

HISTORY_LONG=${HISTORY_LONG:-200000}
HISTORY_PER=${HISTORY_PER:-267}
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

step "history benchmark: wrk"
export HISTORY_SESSION=$long_session HISTORY_LO=$lo HISTORY_HI=$hi HISTORY_TOKEN=$BUSY_TOKEN
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d3s "$base/bench_baseline" >/dev/null
declare -A rps p50 p99 errors
for run in baseline fresh busy page; do
  case $run in
    baseline) bench_wrk "$run" bench/wrk/get.lua "$base/bench_baseline" ;;
    fresh) BENCH_TOKEN=$FRESH_TOKEN bench_wrk "$run" bench/wrk/get_bearer.lua "$base/chat_sessions" ;;
    busy) BENCH_TOKEN=$BUSY_TOKEN bench_wrk "$run" bench/wrk/get_bearer.lua "$base/chat_sessions" ;;
    page) bench_wrk "$run" bench/wrk/chat_history.lua "$base/chat_messages" ;;
  esac
  rps[$run]=$BENCH_rps p50[$run]=$BENCH_p50_us p99[$run]=$BENCH_p99_us errors[$run]=$BENCH_errors
done

# The plans, as PostgREST's connection (authenticator, SET ROLE player) runs them.
explain() {
  psql "$(pg_url authenticator "$AUTHENTICATOR_PASSWORD")" -XAtq -v ON_ERROR_STOP=1 <<SQL | grep -E '^(Planning|Execution) Time|^JIT|^  Functions'
BEGIN;
SET LOCAL jit = $2;
SELECT set_config('request.jwt.claims', json_build_object('role', 'player', 'sub', '$1')::text, true) \g /dev/null
SET LOCAL ROLE player;
EXPLAIN (ANALYZE) WITH pgrst_source AS (SELECT "api"."chat_sessions".* FROM "api"."chat_sessions" LIMIT 1000 OFFSET 0)
SELECT pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t), '[]') AS body FROM (SELECT * FROM pgrst_source) _postgrest_t;
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f%%", 100 * a / b}'; }
row() {
  printf '| %s | %.0f | %s | %s | %s | %s |\n' "$1" "${rps[$2]}" "$(ms "${p50[$2]}")" "$(ms "${p99[$2]}")" \
    "${errors[$2]}" "$(ratio "${rps[$2]}" "${rps[baseline]}")"
}
pg_version=$(sql -c 'SHOW server_version')
mkdir -p bench/results
cat >bench/results/history.md <<MD
## Chat sessions and history at $messages messages

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $(bench_machine)
- Command: \`make bench\` (bench/bench_history.sh): wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION --latency, one endpoint after another after a 3 s warm-up, over loopback
- Data: bench/sql/history_1m.sql: 2001 users, 3000 sessions, $messages messages ($HISTORY_LONG in one session); the busy account is in that session
- Server: PostgreSQL $pg_version in a fresh throwaway cluster (default durability), PostgREST 12.0.2 with the pre-request check, wrk, PostgREST and PostgreSQL sharing the same CPUs

| endpoint | requests/s | median | p99 | errors | vs baseline |
|---|---:|---:|---:|---:|---:|
$(row 'GET /bench_baseline' baseline)
$(row 'GET /chat_sessions, a fresh account' fresh)
$(row 'GET /chat_sessions, the busy account' busy)
$(row 'GET /chat_messages, one page of 50 of the long session' page)

EXPLAIN ANALYZE of GET /chat_sessions as PostgREST runs it (authenticator, SET ROLE player):
${plans%$'\n'}
MD
info "wrote bench/results/history.md"
