#!/usr/bin/env bash
# REST benchmark: PostgREST on a fresh, deployed database, loaded with wrk over loopback.
#   (a) GET /agents                  public content behind RLS and a security_invoker view
#   (b) POST /rpc/login_anonymous    a write: a user, its settings and a signed JWT
#   (c) GET /bench_baseline          the baseline: a one-row view without RLS
# Writes bench/results/rest.md. Same fresh-database code as make test (scripts/lib/fresh_db.sh); the
# throwaway cluster keeps PostgreSQL's default durability so that writes cost what they would in use.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
source "$ARK_ROOT/scripts/lib/postgrest.sh"
cd "$ARK_ROOT"

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

step "REST benchmark: bootstrap"
scripts/bootstrap.sh
command -v wrk >/dev/null || die "wrk is not installed"

step "REST benchmark: fresh database"
fresh_db_deploy durable
fresh_db_bench_endpoints
# What a sign-up costs is measured, bucket updates included, not the global sign-up limit (600 per 10
# minutes, README "Limits and lockout"), which wrk would hit within a second.
use_owner_url "$FRESH_DB_URL"
psql "$OWNER_URL_NOPW" -X -q -v ON_ERROR_STOP=1 \
  -c "UPDATE app.rate_limit_rules SET max_events = 2000000000, per = interval '1 hour' WHERE action = 'login_anonymous'"

step "REST benchmark: PostgREST"
port=$(free_port)
# Request logging would measure the log file; keep PostgREST at its quietest whatever the config says.
export PGRST_LOG_LEVEL=crit
postgrest_start "$FRESH_DB_URL" "$port" "$BENCH_TMP/postgrest.log"
base="http://127.0.0.1:$port"

# Each endpoint must work before it is measured: a fast stream of errors is no result.
check() {
  local code
  code=$(curl -s -o "$BENCH_TMP/check.out" -w '%{http_code}' "$@")
  [[ $code == 2* ]] || { cat "$BENCH_TMP/check.out" >&2; die "$* answered HTTP $code"; }
}
check "$base/agents"
check "$base/bench_baseline"
check -X POST "$base/rpc/login_anonymous" -H 'Content-Type: application/json' \
  -d '{"display_name":"Bench","avatar_sprite":"brendan"}'

step "REST benchmark: wrk"
# A short unrecorded run first, so the first measured endpoint does not pay for cold caches and pools.
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d3s "$base/agents" >/dev/null
declare -A rps p50 p99 errors
for run in baseline agents login; do
  case $run in
    baseline) bench_wrk "$run" bench/wrk/get.lua "$base/bench_baseline" ;;
    agents) bench_wrk "$run" bench/wrk/get.lua "$base/agents" ;;
    login) bench_wrk "$run" bench/wrk/login_anonymous.lua "$base/rpc/login_anonymous" ;;
  esac
  rps[$run]=$BENCH_rps p50[$run]=$BENCH_p50_us p99[$run]=$BENCH_p99_us errors[$run]=$BENCH_errors
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f%%", 100 * a / b}'; }
row() {
  printf '| %s | %.0f | %s | %s | %s | %s |\n' "$1" "${rps[$2]}" "$(ms "${p50[$2]}")" "$(ms "${p99[$2]}")" \
    "${errors[$2]}" "$(ratio "${rps[$2]}" "${rps[baseline]}")"
}
verdict=$(awk -v a="${rps[agents]}" -v b="${rps[baseline]}" 'BEGIN {print (a >= 0.7 * b) ? "met" : "NOT met"}')
use_owner_url "$FRESH_DB_URL"
pg_version=$(psql "$OWNER_URL_NOPW" -XAtqc 'SHOW server_version')

mkdir -p bench/results
cat >bench/results/rest.md <<MD
## REST API (PostgREST 12.0.2)

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $(bench_machine)
- Command: \`make bench\` (bench/bench_rest.sh): wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION --latency, one endpoint after another after a 3 s warm-up, over loopback
- Server: PostgreSQL $pg_version in a fresh throwaway cluster (default durability), PostgREST db-pool from db/postgrest.conf, wrk, PostgREST and PostgreSQL sharing the same CPUs

| endpoint | requests/s | median | p99 | errors | vs baseline |
|---|---:|---:|---:|---:|---:|
$(row 'GET /bench_baseline (one-row view, no RLS)' baseline)
$(row 'GET /agents (anonymous)' agents)
$(row 'POST /rpc/login_anonymous' login)

Target: GET /agents at 70% or more of the baseline: **$verdict**.
MD
info "wrote bench/results/rest.md"
