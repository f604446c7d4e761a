#!/usr/bin/env bash
# Pre-request benchmark: what the revocation check (db-pre-request = auth.check_request, issue 9 section 4)
# costs. Two PostgREST processes on one fresh database, identical but for PGRST_DB_PRE_REQUEST: one runs
# the check before every request, the other (the baseline) does not. GET /agents with a player token (so
# the check has a token to look up, among PREREQ_REVOKED revoked sessions) is measured on each in turn,
# alternating for PREREQ_ROUNDS rounds because this machine's speed drifts by more than the effect
# measured; each round's rate is set beside its own baseline and the median of the ratios is the result.
# Writes bench/results/prerequest.md. PREREQ_ROUNDS (5), PREREQ_REVOKED (10000), BENCH_DURATION (10s).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
source "$ARK_ROOT/scripts/lib/postgrest.sh"
cd "$ARK_ROOT"

PREREQ_ROUNDS=${PREREQ_ROUNDS:-5}
PREREQ_REVOKED=${PREREQ_REVOKED:-10000}
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ark-bench.XXXXXX")
pids=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do stop_pid "$pid" PostgREST; done
  fresh_db_close
  rm -rf "$BENCH_TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "pre-request benchmark: bootstrap"
scripts/bootstrap.sh
command -v wrk >/dev/null || die "wrk is not installed"

step "pre-request benchmark: fresh database"
fresh_db_deploy durable
use_owner_url "$FRESH_DB_URL"
owner() { psql "$OWNER_URL_NOPW" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
# Revoked sessions that are not this token's: the probe must find nothing among many rows.
owner "INSERT INTO auth.token_revocations (key, expires_at)
       SELECT 'sid:' || gen_random_uuid(), now() + interval '1 day' FROM generate_series(1, $PREREQ_REVOKED);
       ANALYZE auth.token_revocations"

step "pre-request benchmark: two PostgREST processes"
export PGRST_LOG_LEVEL=crit
port_check=$(free_port)
PGRST_DB_PRE_REQUEST=auth.check_request postgrest_start "$FRESH_DB_URL" "$port_check" "$BENCH_TMP/postgrest-check.log"
pids+=("$PGRST_PID")
port_plain=$(free_port)
PGRST_DB_PRE_REQUEST='' postgrest_start "$FRESH_DB_URL" "$port_plain" "$BENCH_TMP/postgrest-plain.log"
pids+=("$PGRST_PID")
check_url="http://127.0.0.1:$port_check" plain_url="http://127.0.0.1:$port_plain"

login=$(curl -sf -X POST "$check_url/rpc/login_anonymous" -H 'Content-Type: application/json' \
  -d '{"display_name":"Bench","avatar_sprite":"brendan"}')
BENCH_TOKEN=$(sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p' <<<"$login")
[[ -n $BENCH_TOKEN ]] || die "login_anonymous gave no token: $login"
export BENCH_TOKEN

# Each endpoint must work before it is measured, and the two must differ only in the check: a revoked
# token gets 401 from the first and 200 from the second.
status() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" "$1/agents"; }
[[ $(status "$check_url" "$BENCH_TOKEN") == 200 ]] || die "GET /agents with the check did not answer 200"
[[ $(status "$plain_url" "$BENCH_TOKEN") == 200 ]] || die "GET /agents without the check did not answer 200"
revoked=$(curl -sf -X POST "$check_url/rpc/login_anonymous" -H 'Content-Type: application/json' \
  -d '{"display_name":"Gone","avatar_sprite":"brendan"}' | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $revoked" "$check_url/rpc/logout"
[[ $(status "$check_url" "$revoked") == 401 ]] || die "the check did not refuse a revoked token"
[[ $(status "$plain_url" "$revoked") == 200 ]] || die "the baseline runs a pre-request check too"

step "pre-request benchmark: wrk, $PREREQ_ROUNDS alternating rounds"
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d3s -s bench/wrk/get_bearer.lua "$check_url/agents" >/dev/null
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d3s -s bench/wrk/get_bearer.lua "$plain_url/agents" >/dev/null
rows='' ratios=() check_rps=() plain_rps=() check_p99=() plain_p99=() errors=0
for ((round = 1; round <= PREREQ_ROUNDS; round++)); do
  bench_wrk "plain-$round" bench/wrk/get_bearer.lua "$plain_url/agents"
  p_rps=$BENCH_rps p_p50=$BENCH_p50_us p_p99=$BENCH_p99_us errors=$((errors + BENCH_errors))
  bench_wrk "check-$round" bench/wrk/get_bearer.lua "$check_url/agents"
  c_rps=$BENCH_rps c_p50=$BENCH_p50_us c_p99=$BENCH_p99_us errors=$((errors + BENCH_errors))
  ratio=$(awk -v a="$c_rps" -v b="$p_rps" 'BEGIN {printf "%.4f", a / b}')
  ratios+=("$ratio") check_rps+=("$c_rps") plain_rps+=("$p_rps") check_p99+=("$c_p99") plain_p99+=("$p_p99")
  rows+=$(printf '| %d | %.0f | %s | %s | %.0f | %s | %s | %.0f%% |' "$round" "$p_rps" "$(ms "$p_p50")" \
    "$(ms "$p_p99")" "$c_rps" "$(ms "$c_p50")" "$(ms "$c_p99")" "$(awk -v r="$ratio" 'BEGIN {print 100 * r}')")$'\n'
done

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ratio_median=$(median "${ratios[@]}")
verdict=$(awk -v r="$ratio_median" 'BEGIN {print (r >= 0.7) ? "met" : "NOT met"}')
pg_version=$(owner 'SHOW server_version')

mkdir -p bench/results
cat >bench/results/prerequest.md <<MD
## Revocation check before every request (PostgREST db-pre-request)

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $(bench_machine)
- Command: \`make bench\` (bench/bench_prerequest.sh): wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION --latency -s bench/wrk/get_bearer.lua, GET /agents with one player token, after a 3 s warm-up of each, over loopback
- Server: PostgreSQL $pg_version in a fresh throwaway cluster (default durability); two PostgREST 12.0.2 processes on the same database with the db-pool of db/postgrest.conf, one with PGRST_DB_PRE_REQUEST=auth.check_request and one without (the baseline), measured in turn for $PREREQ_ROUNDS alternating rounds; auth.token_revocations holds $PREREQ_REVOKED other revoked sessions; wrk, PostgREST and PostgreSQL share the same CPUs
- Checked before measuring: a revoked token gets 401 with the check and 200 without it

| round | without: requests/s | median | p99 | with check: requests/s | median | p99 | with / without |
|---:|---:|---:|---:|---:|---:|---:|---:|
${rows%$'\n'}
| **median** | $(printf '%.0f' "$(median "${plain_rps[@]}")") | | $(ms "$(median "${plain_p99[@]}")") | $(printf '%.0f' "$(median "${check_rps[@]}")") | | $(ms "$(median "${check_p99[@]}")") | $(awk -v r="$ratio_median" 'BEGIN {printf "%.0f%%", 100 * r}') |

Errors (non-2xx answers and socket errors, all rounds): $errors.
Target: GET /agents with the check at 70% or more of the baseline without it (the median of the rounds' ratios): **$verdict**.
MD
info "wrote bench/results/prerequest.md"
