# shellcheck shell=bash
# Helpers for bench/bench_*.sh. Each benchmark writes its own section to bench/results/<name>.md and
# bench/assemble.sh joins the sections into bench/RESULTS.md, so a later benchmark (the WebSocket
# bridge, say) adds a file here instead of editing another one's output.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$BENCH_DIR/../scripts/lib/common.sh"

# The machine, in one markdown line: results mean little without it.
bench_machine() {
  local cpu mem
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
  mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  printf '%s CPUs (%s), %s memory, %s' "$(nproc)" "${cpu:-unknown CPU}" "$mem" "$(uname -sr)"
}

# bench_wrk NAME SCRIPT URL: runs wrk with the shared settings and sets BENCH_<field> from its summary
# line (rps, p50_us, p99_us, errors, requests). wrk's full output goes to $BENCH_TMP/NAME.txt.
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-16}
BENCH_DURATION=${BENCH_DURATION:-10s}
# shellcheck disable=SC2154 # the BENCH_* fields are assigned through printf -v
bench_wrk() {
  local name=$1 script=$2 url=$3 out="$BENCH_TMP/$1.txt" line
  info "wrk $name: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION"
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --latency -s "$script" "$url" >"$out" 2>&1 \
    || { cat "$out" >&2; die "wrk failed for $name"; }
  line=$(grep '^BENCH ' "$out") || { cat "$out" >&2; die "wrk printed no summary for $name"; }
  for kv in ${line#BENCH }; do
    printf -v "BENCH_${kv%%=*}" '%s' "${kv#*=}"
  done
  info "$(printf '%.0f req/s, median %s, p99 %s, errors %s' "$BENCH_rps" "$(ms "$BENCH_p50_us")" "$(ms "$BENCH_p99_us")" "$BENCH_errors")"
}

ms() { awk -v us="$1" 'BEGIN {printf "%.2f ms", us / 1000}'; }
