#!/usr/bin/env bash
# Maps (issue 12, "Bench"): publish_map and validate_map of a generated 200x200 map with 4 layers and 500
# objects, through PostgREST as the world's owner, beside the same run's POST /rpc/bench_noop and a no-op
# of publish_map's arguments given publish_map's very body (what carrying and parsing the JSON costs);
# then realtime.apply_moves per move in the map's room with its walls, beside the same room with no map
# (map_version NULL), the two interleaved every 8 calls, and beside the move path before issue 12
# (app.move_blocked the stub SELECT false, a block of its own). One fresh throwaway database;
# bench/maps_load.py generates the map and drives the load.
# MAPS_ROUNDS (5) HTTP rounds, MAPS_MOVE_ROUNDS (4) rounds of MAPS_MOVE_CALLS (1000) calls of 50 moves per
# mode. Target: with walls at most 1.2x the room without a map, per move median and p99.
# Writes bench/results/maps.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
source "$ARK_ROOT/scripts/lib/postgrest.sh"
cd "$ARK_ROOT"

ROUNDS=${MAPS_ROUNDS:-5}
MOVE_CALLS=${MAPS_MOVE_CALLS:-1000}
MOVE_ROUNDS=${MAPS_MOVE_ROUNDS:-4}
WORLD=bench-maps
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

step "maps benchmark: bootstrap"
scripts/bootstrap.sh

step "maps benchmark: fresh database"
fresh_db_deploy durable
fresh_db_bench_endpoints
use_owner_url "$FRESH_DB_URL"
DB=$OWNER_URL_NOPW
sql() { psql "$DB" -XAtq -v ON_ERROR_STOP=1 "$@"; }
# The world's owner: a registered player, who creates the world through the API below.
owner_id=$(sql -c "INSERT INTO app.users (display_name, avatar_sprite, is_anonymous, email)
                   VALUES ('Map maker', 'brendan', false, 'map-maker@bench.invalid') RETURNING id")
TOKEN=$(sql -c "SELECT auth.issue_token('$owner_id', interval '2 hours') ->> 'token'")
# The control, in this throwaway database only: publish_map's arguments, no work. PostgREST reads the same
# body into the same parameters, so its time is what the transfer and the JSON parsing cost.
sql <<'SQL'
CREATE FUNCTION api.bench_map_noop(world_slug text, room_slug text, map jsonb) RETURNS integer
  LANGUAGE sql VOLATILE SET search_path = '' AS $$ SELECT 1 $$;
GRANT EXECUTE ON FUNCTION api.bench_map_noop(text, text, jsonb) TO player;
SQL

step "maps benchmark: PostgREST"
port=$(free_port)
export PGRST_LOG_LEVEL=crit
postgrest_start "$FRESH_DB_URL" "$port" "$BENCH_TMP/postgrest.log"
base="http://127.0.0.1:$port"
code=$(curl -s -o "$BENCH_TMP/world.out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d "{\"slug\":\"$WORLD\",\"name\":\"Bench maps\"}" "$base/rpc/create_world")
[[ $code == 200 ]] || { cat "$BENCH_TMP/world.out" >&2; die "create_world answered HTTP $code"; }

step "maps benchmark: $ROUNDS rounds of publish/validate, then $MOVE_ROUNDS rounds of $MOVE_CALLS move calls per mode"
"$VENV/bin/python" bench/maps_load.py "$DB" "$base" "$TOKEN" "$WORLD" "$ROUNDS" "$MOVE_CALLS" "$MOVE_ROUNDS" \
  | tee "$BENCH_TMP/runs.txt"
pg_version=$(sql -c 'SHOW server_version')

mkdir -p bench/results
"$VENV/bin/python" - "$BENCH_TMP/runs.txt" "$(git rev-parse --short HEAD)" "$(bench_machine)" "$pg_version" \
  >bench/results/maps.md <<'PY'
import re
import statistics
import sys
from datetime import datetime, timezone

path, head, machine, pg_version = sys.argv[1:5]
lines = open(path).read().splitlines()
facts = dict(kv.split("=") for kv in next(line for line in lines if line.startswith("MAP ")).split()[1:])
http = [m.groupdict() for line in lines if (m := re.match(r"^RESULT kind=(?P<kind>\w+) round=(?P<n>\d+) ms=(?P<ms>[\d.]+)", line))]
moves = [
    m.groupdict()
    for line in lines
    if (m := re.match(r"^MOVES mode=(?P<mode>\w+) round=(?P<n>\d+) calls=(?P<calls>\d+) median_us=(?P<p50>[\d.]+)"
                      r" p99_us=(?P<p99>[\d.]+) rejected=(?P<rej>\d+)", line))
]
if not http or not moves:
    sys.exit("no runs were parsed")
ms: dict[str, list[float]] = {}
for r in http:
    ms.setdefault(r["kind"], []).append(float(r["ms"]))
rounds = len(ms["publish"])
tiles = int(facts["width"]) * int(facts["height"])

print("## Maps: publish_map and validate_map of a 200×200 map, and realtime.apply_moves with walls (issue 12)\n")
print(f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
print(f"- Machine: {machine}")
print(
    f"- Command: `bench/bench_maps.sh` (part of `make bench`; this checkout {head}; MAPS_ROUNDS={rounds},"
    f" MAPS_MOVE_ROUNDS={len({m['n'] for m in moves})}, MAPS_MOVE_CALLS={moves[0]['calls']}): one fresh throwaway"
    f" database, PostgreSQL {pg_version}, PostgREST 12.0.2 (with its pre-request check), the client and both servers on the same CPUs"
)
print(
    f"- The map (generated by bench/maps_load.py, fixed seed): {facts['width']}×{facts['height']} tiles, {facts['layers']} layers"
    " (ground with ponds, walls with the buildings' walls and trees, decoration, one object group),"
    f" {facts['objects']} objects (50 portals with door points, 50 agent rooms, 100 meetings each with its own"
    f" jitsiRoom, 200 spawns, 50 agent spawns): {facts['buildings']} buildings, {facts['spawn_points']} player spawns,"
    f" {facts['blocked_tiles']} wall tiles ({100 * int(facts['blocked_tiles']) / tiles:.1f}%)."
    f" publish_map's body is {int(facts['bytes']) / 1024:.0f} KiB of JSON.\n"
)
print("### publish_map and validate_map, through PostgREST as the world's owner\n")
print(
    f"One round of warm-up, then {rounds} rounds of the four requests in turn, one connection, timed by the client;"
    " each publish is the room's next version (the warm-up's, version 1, created the room)."
    " bench_map_noop is a no-op function with publish_map's arguments given publish_map's very body, created in"
    " the throwaway database only: the same-run baseline for carrying and parsing the JSON.\n"
)
print("| request | median | max | rounds |")
print("|---|---:|---:|---|")
names = {
    "noop": "POST /rpc/bench_noop `{}` (a function call, no body)",
    "noop_body": "POST /rpc/bench_map_noop, publish_map's body (the JSON's transfer and parsing)",
    "validate": "POST /rpc/validate_map `{map}`",
    "publish": "POST /rpc/publish_map `{world_slug, room_slug, map}`",
}
for kind, title in names.items():
    v = ms[kind]
    print(f"| {title} | {statistics.median(v):.1f} ms | {max(v):.1f} ms | {', '.join(f'{x:.1f}' for x in v)} |")
print(f"| the warm-up's publish_map (version 1, creates the room) | {ms['first_publish'][0]:.1f} ms | | |")
body = statistics.median(ms["noop_body"])
print(
    f"\npublish_map takes **{statistics.median(ms['publish']):.1f} ms** (median; max {max(ms['publish']):.1f} ms),"
    f" validate_map **{statistics.median(ms['validate']):.1f} ms** (max {max(ms['validate']):.1f} ms);"
    f" {body:.1f} ms of each is the JSON's transfer and parsing (the baseline), so the database's own work is about"
    f" {statistics.median(ms['publish']) - body:.0f} ms to publish and {statistics.median(ms['validate']) - body:.0f} ms"
    " to check.\n"
)

print("### realtime.apply_moves per move, with walls and without\n")
print(
    f"200 players in the map's room (max_speed 100) step a tile right and back, {moves[0]['calls']} autocommit calls of 50 moves"
    " per mode and round, as the bridge's tick sends them, on the owner's connection; 20 of them"
    " stand just left of a building's west wall, so with the map every one of their steps right is refused"
    " (blocked): 1 move in 20. Each round: **map**, the room with its map (the current version's collision bits,"
    " 40,000 tiles), and **nomap**, the same room with map_version NULL (the walls query finds no grid), interleaved:"
    " the mode changes every 8 calls (one step right and back of every batch), the side that starts alternating"
    " by round, so the machine's drift falls on both alike; then **stub**, a block of its own, app.move_blocked as"
    " it was before issue 12 (`SELECT false`, no query). 6 cycles of 8 calls per side warm up untimed.\n"
)
print("| round | mode | per move median | per move p99 | refused (blocked) |")
print("|---|---|---:|---:|---:|")
by: dict[str, dict[str, list[float]]] = {}
for m in moves:
    print(f"| {m['n']} | {m['mode']} | {float(m['p50']):.1f} µs | {float(m['p99']):.1f} µs | {m['rej']} |")
    s = by.setdefault(m["mode"], {"p50": [], "p99": []})
    s["p50"].append(float(m["p50"]))
    s["p99"].append(float(m["p99"]))
med = {mode: {k: statistics.median(v) for k, v in s.items()} for mode, s in by.items()}
a, b, c = med["nomap"], med["map"], med["stub"]
r50, r99 = b["p50"] / a["p50"], b["p99"] / a["p99"]
# map and nomap ran interleaved within each round: each round's ratio is the fairest single figure.
pr50 = [m / n for m, n in zip(by["map"]["p50"], by["nomap"]["p50"], strict=True)]
pr99 = [m / n for m, n in zip(by["map"]["p99"], by["nomap"]["p99"], strict=True)]
print(
    f"\nMedians over the rounds: **{b['p50']:.1f} µs** per move with walls against {a['p50']:.1f} µs in the room without"
    f" a map (**{r50:.2f}×**), p99 {b['p99']:.1f} µs against {a['p99']:.1f} µs (**{r99:.2f}×**). Round by round"
    f" (map against nomap of the same round): median {', '.join(f'{x:.2f}×' for x in pr50)}; p99"
    f" {', '.join(f'{x:.2f}×' for x in pr99)}. Against the move path before issue 12 (stub, {c['p50']:.1f} µs, p99"
    f" {c['p99']:.1f} µs, its own blocks, so more exposed to the machine's drift): median {b['p50'] / c['p50']:.2f}×,"
    f" p99 {b['p99'] / c['p99']:.2f}×; the room without a map against it: median {a['p50'] / c['p50']:.2f}×, p99"
    f" {a['p99'] / c['p99']:.2f}×."
)
verdict = "met" if r50 <= 1.2 and r99 <= 1.2 else "NOT met"
print(
    "\nTarget (issue 12): with collisions at most 1.2× the cost per move without (the medians over the rounds),"
    f" median and p99: **{verdict}**."
)
PY
info "wrote bench/results/maps.md"
cat bench/results/maps.md
