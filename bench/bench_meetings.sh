#!/usr/bin/env bash
# Meeting zones (issue 14, "It costs the move path at most 1.2x today's per-move cost"): realtime.apply_moves
# per move with the meeting triggers (trigger_meeting_zones) beside the same database with them disabled,
# which is today's move path, alternating MEETINGS_ROUNDS rounds (default 3) of MEETINGS_CALLS calls
# (default 1500) of 50 moves by 200 players, on one fresh database per layout (the same data, plans and
# caches for both modes). Layout half: one meeting building over half the room, where half the players
# walk about inside it and 1 move in 36 joins or leaves (the target case: at most 1.2x the baseline's
# per-move median and p99). Layout edges: six narrow buildings, 1 move in 3 joins or leaves, far more
# than players do: what a join or leave itself costs.
# Writes bench/results/meetings.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
cd "$ARK_ROOT"
CALLS=${MEETINGS_CALLS:-1500}
LAYOUTS=${MEETINGS_LAYOUTS:-half edges}
ROUNDS=${MEETINGS_ROUNDS:-3}
TMP_RUNS=$(mktemp "${TMPDIR:-/tmp}/ark-meetings.XXXXXX")
LEGACY_SQL=$(mktemp "${TMPDIR:-/tmp}/ark-meetings-legacy.XXXXXX")
trap 'fresh_db_close; rm -f "$TMP_RUNS" "$LEGACY_SQL"' EXIT
# The move path of tag v0.7.0 (before issue 14): its apply_moves and presence_move, as the reverts of the
# changes that replaced them restore them.
{
  sed -n '/^CREATE OR REPLACE FUNCTION realtime.apply_moves/,/^\$\$;/p' revert/apply_moves_one_update.sql
  sed -n '/^CREATE OR REPLACE FUNCTION app.presence_move/,/^\$function\$;/p' revert/function_app_move_verdict.sql
} >"$LEGACY_SQL"
grep -q 'app.presence_move(mover' "$LEGACY_SQL" && grep -q 'min_cost CONSTANT' "$LEGACY_SQL" ||
  die "could not extract the v0.7.0 move path from the revert scripts"

run_layout() {
  local layout=$1
  step "meeting triggers A/B, layout $layout: $ROUNDS rounds of $CALLS calls each, without and with"
  fresh_db_deploy durable >&2
  use_owner_url "$FRESH_DB_URL"
  DB=$OWNER_URL_NOPW
  psql "$DB" -XAtq -v ON_ERROR_STOP=1 -v layout="$layout" >&2 <<'SQL'
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, max_speed)
VALUES ('bench-moves', 'Bench', 'town', 40, 30, 5, 5, 100);
-- half: one meeting building over x 1..18 (the players at x = 18 step out and back in: 1 move in 36
-- joins or leaves). edges: six buildings 4 tiles wide at x = 2, 8, ..., 32 (about 1 move in 3).
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
SELECT r.id, 'bench-meeting-' || i, 'Meeting ' || i, 'meeting', 2 + 6 * i, 0, 4, 30, 3 + 6 * i, 29, 'bench-' || i
  FROM app.rooms r, generate_series(0, 5) AS i WHERE r.slug = 'bench-moves' AND :'layout' = 'edges';
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
SELECT r.id, 'bench-meeting', 'Meeting', 'meeting', 1, 0, 18, 30, 5, 29, 'bench'
  FROM app.rooms r WHERE r.slug = 'bench-moves' AND :'layout' = 'half';
INSERT INTO app.users (display_name, avatar_sprite) SELECT 'mover-' || i, 'brendan' FROM generate_series(1, 200) AS i;
SELECT count(realtime.join(u.id, 'bench-moves', 'bench-' || u.id))
  FROM app.users u WHERE u.display_name LIKE 'mover-%';
-- Each mover stands on a tile of its own: (1 + i % 36, 1 + i / 36).
UPDATE app.player_presence p SET x = 1 + (s.n % 36)::int, y = 1 + (s.n / 36)::int
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM app.users WHERE display_name LIKE 'mover-%') AS s
 WHERE p.user_id = s.id;
ANALYZE;
SQL
  "$VENV/bin/python" bench/meetings_load.py "$DB" "$CALLS" "$ROUNDS" "$LEGACY_SQL" | sed "s/^RESULT /RESULT layout=$layout /" | tee -a "$TMP_RUNS"
  fresh_db_close
}
for layout in $LAYOUTS; do run_layout "$layout"; done

"$VENV/bin/python" - "$TMP_RUNS" "$(git rev-parse --short HEAD)" "$(bench_machine)" >bench/results/meetings.md <<'PY'
import re
import statistics
import sys
from datetime import datetime, timezone

path, head, machine = sys.argv[1:4]
pattern = re.compile(
    r"^RESULT layout=(?P<layout>\w+) mode=(?P<mode>[\w.]+) round=(?P<n>\d+) calls=(?P<calls>\d+)"
    r" median_us=(?P<p50>[\d.]+) p99_us=(?P<p99>[\d.]+) joins=(?P<joins>\d+)"
)
runs = [m.groupdict() for line in open(path) if (m := pattern.match(line))]
if not runs:
    sys.exit("no runs were parsed")
rounds = len({r["n"] for r in runs})
print("## Meeting zones: realtime.apply_moves per move with the meeting triggers, beside v0.7.0's move path and beside them disabled (alternating)\n")
print(f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
print(f"- Machine: {machine}")
print(
    f"- Command: `bench/bench_meetings.sh` (this checkout {head}): per layout one fresh database, {rounds} rounds of"
    f" {runs[0]['calls']} autocommit calls of 50 moves by 200 players (each steps a tile and back) in each of three"
    " modes: **v0.7.0**, the move path of that tag (before issue 14: one UPDATE per move) with no meeting"
    " triggers, today's path; **without**, the deployed path (app.move_verdict, one UPDATE per tick) with the"
    " three meeting_zones triggers disabled; **with**, the deployed path with them. Layout **half**: one meeting"
    " building over half the room, half the players inside it, 1 move in 36 joins or leaves. Layout **edges**:"
    " six buildings four tiles wide, 1 move in 3 joins or leaves (a join opens or finds the session under its"
    " lock, a leave may close it; each sends its frame)\n"
)
for layout in dict.fromkeys(r["layout"] for r in runs):
    mine = [r for r in runs if r["layout"] == layout]
    print(f"### Layout {layout}\n")
    print("| round | mode | per move median | per move p99 | meetings joined |")
    print("|---|---|---:|---:|---:|")
    by: dict[str, dict[str, list[float]]] = {}
    for r in mine:
        print(f"| {r['n']} | {r['mode']} | {float(r['p50']):.1f} µs | {float(r['p99']):.1f} µs | {r['joins']} |")
        s = by.setdefault(r["mode"], {"p50": [], "p99": []})
        s["p50"].append(float(r["p50"]))
        s["p99"].append(float(r["p99"]))
    t = {k: statistics.median(v) for k, v in by["v0.7.0"].items()}
    a = {k: statistics.median(v) for k, v in by["without"].items()}
    b = {k: statistics.median(v) for k, v in by["with"].items()}
    r50, r99 = b["p50"] / t["p50"], b["p99"] / t["p99"]
    print(
        f"\nMedians over the rounds: **{b['p50']:.1f} µs** per move with the meeting triggers against"
        f" {t['p50']:.1f} µs on v0.7.0's path (**{r50:.2f}×**), p99 {b['p99']:.1f} µs against {t['p99']:.1f} µs"
        f" (**{r99:.2f}×**). What the triggers themselves cost, against the deployed path without them:"
        f" median {b['p50'] / a['p50']:.2f}×, p99 {b['p99'] / a['p99']:.2f}×."
    )
    if layout == "half":
        verdict = "met" if r50 <= 1.2 and r99 <= 1.2 else "NOT met"
        print(f"\nTarget (issue 14): at most 1.2× today's (v0.7.0's) cost per move, median and p99: **{verdict}**.")
    print()
PY
info "wrote bench/results/meetings.md"
cat bench/results/meetings.md
