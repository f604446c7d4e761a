#!/usr/bin/env bash
# Chat A/B: this checkout's chat benchmark beside an earlier version's, alternating on the same machine.
#
# The chat benchmark's absolute figures drift with whatever else this shared 2-core machine runs, by
# more than the regressions it has to catch. So this runs bench/bench_chat.sh of the reference version
# (CHAT_AB_REF, default d1e889a: the code of Sqitch tag v0.3.0, before exact resume) and of this
# checkout in turn, CHAT_AB_RUNS times each (reference first, then this one, then the reference...),
# each run one round of bench_noop then send_message on a fresh database of its own, and sets each
# run's figures beside its own baseline and beside its neighbours of the other version.
# Writes bench/results/chat_ab.md; leaves bench/results/chat.md as it was.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ARK_ROOT"

REF=${CHAT_AB_REF:-d1e889a}
RUNS=${CHAT_AB_RUNS:-3}
AB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ark-chat-ab.XXXXXX")
cp bench/results/chat.md "$AB_TMP/chat.md.keep"
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  cp "$AB_TMP/chat.md.keep" bench/results/chat.md
  rm -rf "$AB_TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ref_commit=$(git rev-parse --short "$REF^{commit}")
head_commit=$(git rev-parse --short HEAD)
step "chat A/B: $ref_commit (reference) and $head_commit (this checkout), $RUNS runs each"
mkdir "$AB_TMP/ref"
git archive "$REF" | tar -x -C "$AB_TMP/ref"
# The reference uses this checkout's installed tools (the same versions, pinned by the lock files).
ln -s "$ARK_ROOT/.venv" "$AB_TMP/ref/.venv"
ln -s "$ARK_ROOT/node_modules" "$AB_TMP/ref/node_modules"

# run_one DIR LABEL N: one single-round chat benchmark; its "round 1:" line is kept.
run_one() {
  local dir=$1 label=$2 n=$3 log="$AB_TMP/$2-$3.log"
  info "run $n of $label"
  (cd "$dir" && CHAT_ROUNDS=1 bash bench/bench_chat.sh) >"$log" 2>&1 || { tail -30 "$log" >&2; die "the $label run $n failed"; }
  grep -m1 '^round 1:' "$log" | sed "s/^round 1:/$label $n:/" >>"$AB_TMP/rounds.txt"
}
for n in $(seq 1 "$RUNS"); do
  run_one "$AB_TMP/ref" reference "$n"
  run_one "$ARK_ROOT" this "$n"
done

"$VENV/bin/python" - "$AB_TMP/rounds.txt" "$ref_commit" "$head_commit" "$(bench_machine)" >bench/results/chat_ab.md <<'PY'
import re
import statistics
import sys
from datetime import datetime, timezone

path, ref, head, machine = sys.argv[1:5]
pattern = re.compile(
    r"^(?P<who>\w+) (?P<n>\d+): bench_noop (?P<base>[\d.]+)/s \(p99 (?P<base_p99>[\d.]+) ms\); send_message (?P<rate>[\d.]+)/s"
    r" \(HTTP p99 (?P<http_p99>[\d.]+) ms, socket p50 (?P<p50>[\d.]+) ms p99 (?P<p99>[\d.]+) ms"
)
runs = [m.groupdict() for line in open(path) if (m := pattern.match(line))]
if not runs:
    sys.exit("no rounds were parsed")
print("## Chat A/B (this checkout beside v0.3.0's code, alternating)\n")
print(f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
print(f"- Machine: {machine}")
print(
    f"- Command: `bench/bench_chat_ab.sh` (CHAT_AB_REF={ref}, the code of Sqitch tag v0.3.0; this checkout {head}):"
    " bench/bench_chat.sh of each version in turn with CHAT_ROUNDS=1, reference first, each on a fresh database"
    " (16 concurrent senders, 100 sockets, 10 s per phase, after its own bench_noop baseline)\n"
)
print("| run | bench_noop calls/s | send_message calls/s | vs its baseline | HTTP p99 | send → socket median | p99 | p99 / baseline's HTTP p99 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
summary: dict[str, dict[str, list[float]]] = {}
for r in runs:
    ratio = float(r["rate"]) / float(r["base"])
    p99_ratio = float(r["p99"]) / float(r["base_p99"])
    s = summary.setdefault(r["who"], {"ratio": [], "p50": [], "p99": [], "p99_ratio": []})
    s["ratio"].append(ratio)
    s["p50"].append(float(r["p50"]))
    s["p99"].append(float(r["p99"]))
    s["p99_ratio"].append(p99_ratio)
    print(
        f"| {r['who']} {r['n']} | {float(r['base']):.0f} | {float(r['rate']):.0f} | {ratio:.0%} | {r['http_p99']} ms"
        f" | {r['p50']} ms | {r['p99']} ms | {p99_ratio:.1f}× |"
    )
med = {who: {k: statistics.median(v) for k, v in s.items()} for who, s in summary.items()}
if "reference" in med and "this" in med:
    a, b = med["reference"], med["this"]
    print(
        f"\nMedians over the runs: send_message at **{b['ratio']:.0%}** of its baseline here, {a['ratio']:.0%} in the"
        f" reference; send → socket p99 at **{b['p99_ratio']:.1f}×** its run's baseline HTTP p99 here,"
        f" {a['p99_ratio']:.1f}× in the reference (absolute: {b['p99']:.1f} ms and {a['p99']:.1f} ms; median"
        f" {b['p50']:.1f} ms and {a['p50']:.1f} ms)."
    )
    # Absolute milliseconds move with whatever else the machine runs during each run (see the baselines'
    # own rates above), so the comparison is of each run's figures against its own baseline.
    verdict = "met" if b["ratio"] >= 0.9 * a["ratio"] and b["p99_ratio"] <= 1.1 * a["p99_ratio"] else "NOT met"
    print(
        "\nTarget (issue 8): throughput and p99, each against its own run's baseline, within 10% of v0.3.0's,"
        f" run beside it: **{verdict}** (throughput {b['ratio'] / a['ratio']:.0%} of the reference's,"
        f" p99 {b['p99_ratio'] / a['p99_ratio']:.0%} of it)."
    )
PY
info "wrote bench/results/chat_ab.md"
cat bench/results/chat_ab.md
