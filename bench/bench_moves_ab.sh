#!/usr/bin/env bash
# apply_moves A/B (issue 11, "Bench"): the cost of realtime.apply_moves per move with world rules in
# place (this checkout: 1,000 worlds, 50 memberships per mover, 500 bans) beside today's code before
# worlds (MOVES_AB_REF, default b5e8ba9: the code of Sqitch tag v0.5.1), alternating on the same machine,
# MOVES_AB_RUNS runs each (reference first), each on a fresh database of its own. Each run is
# bench/moves_once.sh: MOVES_CALLS (default 2000) autocommit calls of 50 moves, timed by the client as
# the bridge would see them. Target: per-move median and p99 at most 1.2x the reference's.
# Writes bench/results/moves_ab.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ARK_ROOT"

REF=${MOVES_AB_REF:-b5e8ba9}
RUNS=${MOVES_AB_RUNS:-3}
AB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ark-moves-ab.XXXXXX")
trap 'rm -rf "$AB_TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ref_commit=$(git rev-parse --short "$REF^{commit}")
head_commit=$(git rev-parse --short HEAD)
step "apply_moves A/B: $ref_commit (reference) and $head_commit (this checkout), $RUNS runs each"
mkdir "$AB_TMP/ref"
git archive "$REF" | tar -x -C "$AB_TMP/ref"
ln -s "$ARK_ROOT/.venv" "$AB_TMP/ref/.venv"
ln -s "$ARK_ROOT/node_modules" "$AB_TMP/ref/node_modules"
# The same driver in both trees: only the schema under it differs.
cp bench/moves_once.sh bench/moves_load.py "$AB_TMP/ref/bench/"

run_one() {
  local dir=$1 label=$2 n=$3 log="$AB_TMP/$2-$3.log"
  info "run $n of $label"
  (cd "$dir" && bash bench/moves_once.sh) >"$log" 2>&1 || { tail -30 "$log" >&2; die "the $label run $n failed"; }
  grep -m1 '^RESULT ' "$log" | sed "s/^RESULT/$label $n/" | tee -a "$AB_TMP/runs.txt"
}
for n in $(seq 1 "$RUNS"); do
  run_one "$AB_TMP/ref" reference "$n"
  run_one "$ARK_ROOT" this "$n"
done

"$VENV/bin/python" - "$AB_TMP/runs.txt" "$ref_commit" "$head_commit" "$(bench_machine)" >bench/results/moves_ab.md <<'PY'
import re
import statistics
import sys
from datetime import datetime, timezone

path, ref, head, machine = sys.argv[1:5]
pattern = re.compile(r"^(?P<who>\w+) (?P<n>\d+) calls=(?P<calls>\d+) moves=\d+ rejected=(?P<rej>\d+) median_us=(?P<p50>[\d.]+) p99_us=(?P<p99>[\d.]+)")
runs = [m.groupdict() for line in open(path) if (m := pattern.match(line))]
if not runs:
    sys.exit("no runs were parsed")
print("## realtime.apply_moves per move, with world rules, beside v0.5.1 (alternating)\n")
print(f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
print(f"- Machine: {machine}")
print(
    f"- Command: `bench/bench_moves_ab.sh` (MOVES_AB_REF={ref}, the code of Sqitch tag v0.5.1; this checkout {head}):"
    f" bench/moves_once.sh in each tree in turn, {runs[0]['calls']} autocommit calls of 50 moves by 200 players,"
    " each on a fresh database; this checkout with 1,000 worlds (900 private), 50 memberships per mover, 500 bans\n"
)
print("| run | per move median | per move p99 | rejected |")
print("|---|---:|---:|---:|")
by: dict[str, dict[str, list[float]]] = {}
for r in runs:
    print(f"| {r['who']} {r['n']} | {float(r['p50']):.1f} µs | {float(r['p99']):.1f} µs | {r['rej']} |")
    s = by.setdefault(r["who"], {"p50": [], "p99": []})
    s["p50"].append(float(r["p50"]))
    s["p99"].append(float(r["p99"]))
if "reference" in by and "this" in by:
    a = {k: statistics.median(v) for k, v in by["reference"].items()}
    b = {k: statistics.median(v) for k, v in by["this"].items()}
    r50, r99 = b["p50"] / a["p50"], b["p99"] / a["p99"]
    verdict = "met" if r50 <= 1.2 and r99 <= 1.2 else "NOT met"
    print(
        f"\nMedians over the runs: **{b['p50']:.1f} µs** per move here against {a['p50']:.1f} µs in the reference"
        f" (**{r50:.2f}×**), p99 {b['p99']:.1f} µs against {a['p99']:.1f} µs (**{r99:.2f}×**)."
        f"\n\nTarget (issue 11): at most 1.2× today's cost per move: **{verdict}**."
    )
PY
info "wrote bench/results/moves_ab.md"
cat bench/results/moves_ab.md
