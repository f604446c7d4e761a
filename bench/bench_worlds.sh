#!/usr/bin/env bash
# Worlds benchmark (issue 11): what row-level security by world costs a signed-in player's GET /rooms
# and GET /presence, with 1,000 worlds (900 private) and 50 memberships for the caller
# (bench/sql/worlds_1k.sql), beside the same run's GET /bench_baseline. Also prints the plans, which
# must compare world_id with an array computed once (an InitPlan), not call a function per row.
# Writes bench/results/worlds.md.
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

step "worlds benchmark: bootstrap"
scripts/bootstrap.sh
command -v wrk >/dev/null || die "wrk is not installed"

step "worlds benchmark: fresh database, 1,000 worlds"
fresh_db_deploy durable
fresh_db_bench_endpoints
use_owner_url "$FRESH_DB_URL"
psql "$OWNER_URL_NOPW" -X -q -v ON_ERROR_STOP=1 -f bench/sql/worlds_1k.sql
caller=$(psql "$OWNER_URL_NOPW" -XAtq -c "SELECT id FROM app.users WHERE email = 'bench-caller@bench.invalid'")
memberships=$(psql "$OWNER_URL_NOPW" -XAtq -c "SELECT count(*) FROM app.world_members WHERE user_id = '$caller'")
worlds=$(psql "$OWNER_URL_NOPW" -XAtq -c "SELECT count(*) FILTER (WHERE visibility = 'private') || ' private of ' || count(*) FROM app.worlds")
BENCH_TOKEN=$(psql "$OWNER_URL_NOPW" -XAtq -c "SELECT auth.issue_token('$caller', interval '2 hours') ->> 'token'")
export BENCH_TOKEN
ADMIN_TOKEN=$(psql "$OWNER_URL_NOPW" -XAtq -c "SELECT auth.issue_service_token('content_admin', interval '2 hours')")

# The controls: the same rows as the caller's GET /rooms and GET /presence, served by views that compare
# world_id with the caller's readable worlds computed once here, as a constant, instead of the world rule.
# They are owned by the bench database's owner (a superuser, which row-level security never applies to)
# and exist only in this throwaway database. Each endpoint's rate against its control is what the world
# rule itself costs; the rest of the gap to /bench_baseline is what a response of that many rows costs.
readable=$(psql "$OWNER_URL_NOPW" -XAtq -c "SELECT app.readable_world_ids('$caller')")
psql "$OWNER_URL_NOPW" -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE VIEW api.bench_rooms_control AS
  SELECT id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main,
         max_speed, proximity_radius, world_id
    FROM app.rooms WHERE world_id = ANY ('$readable'::uuid[]);
CREATE VIEW api.bench_presence_control AS
  SELECT p.user_id, u.display_name, u.avatar_sprite, p.room_id, r.slug AS room_slug, p.x, p.y, p.direction,
         p.status, p.last_update, r.world_id, w.slug AS world_slug
    FROM app.player_presence p JOIN app.users u ON u.id = p.user_id JOIN app.rooms r ON r.id = p.room_id
    JOIN app.worlds w ON w.id = r.world_id
   WHERE p.status <> 'offline' AND r.world_id = ANY ('$readable'::uuid[]);
GRANT SELECT ON api.bench_rooms_control, api.bench_presence_control TO player;
NOTIFY pgrst, 'reload schema';
SQL

# The plans as PostgREST's request runs them: as player, with the caller's claims.
# As the role that PostgREST logs in as, so that its per-role settings (roles_jit_off,
# roles_random_page_cost) apply as they do to PostgREST's connections.
plan() {
  psql "$(pg_url authenticator "$AUTHENTICATOR_PASSWORD")" -XAtq -v ON_ERROR_STOP=1 <<SQL
BEGIN;
SET LOCAL ROLE player;
SELECT set_config('request.jwt.claims', json_build_object('role', 'player', 'sub', '$caller')::text, true);
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $1;
ROLLBACK;
SQL
}
pg_url_parse "$FRESH_DB_URL"
plan 'SELECT * FROM api.rooms' | grep -v '^set_config\|^$\|^{' >"$BENCH_TMP/rooms.plan"
plan 'SELECT * FROM api.presence' | grep -v '^set_config\|^$\|^{' >"$BENCH_TMP/presence.plan"
for f in rooms presence; do
  grep -q 'InitPlan' "$BENCH_TMP/$f.plan" || { cat "$BENCH_TMP/$f.plan" >&2; die "the $f plan has no InitPlan for the world rule"; }
  grep -q 'Index Cond: (world_id = ANY' "$BENCH_TMP/$f.plan" || { cat "$BENCH_TMP/$f.plan" >&2; die "the $f plan does not use a world_id index"; }
done

step "worlds benchmark: PostgREST"
port=$(free_port)
export PGRST_LOG_LEVEL=crit
postgrest_start "$FRESH_DB_URL" "$port" "$BENCH_TMP/postgrest.log"
base="http://127.0.0.1:$port"
check() {
  local code
  code=$(curl -s -o "$BENCH_TMP/check.out" -w '%{http_code}' "$@")
  [[ $code == 2* ]] || { cat "$BENCH_TMP/check.out" >&2; die "$* answered HTTP $code"; }
}
check "$base/bench_baseline"
check -H "Authorization: Bearer $BENCH_TOKEN" "$base/rooms"
rooms_rows=$(curl -s -H "Authorization: Bearer $BENCH_TOKEN" "$base/rooms" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
presence_rows=$(curl -s -H "Authorization: Bearer $BENCH_TOKEN" "$base/presence" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
count_rows() { curl -s -H "Authorization: Bearer $BENCH_TOKEN" "$base/$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
admin_rows=$(curl -s -H "Authorization: Bearer $ADMIN_TOKEN" "$base/rooms" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[[ $(count_rows bench_rooms_control) == "$rooms_rows" ]] || die "the rooms control does not return the caller's $rooms_rows rooms"
[[ $(count_rows bench_presence_control) == "$presence_rows" ]] || die "the presence control does not return the caller's $presence_rows players"

step "worlds benchmark: wrk"
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d3s "$base/bench_baseline" >/dev/null
declare -A rps p50 p99 errors
# Baseline first and last: the figure is each endpoint against the mean of the two, so a drift of the
# shared machine during the run shows as a gap between them.
for run in baseline rooms rooms_control presence presence_control me admin baseline2; do
  case $run in
    baseline | baseline2) bench_wrk "$run" bench/wrk/get.lua "$base/bench_baseline" ;;
    rooms) bench_wrk "$run" bench/wrk/get_bearer.lua "$base/rooms" ;;
    rooms_control) bench_wrk "$run" bench/wrk/get_bearer.lua "$base/bench_rooms_control" ;;
    presence) bench_wrk "$run" bench/wrk/get_bearer.lua "$base/presence" ;;
    presence_control) bench_wrk "$run" bench/wrk/get_bearer.lua "$base/bench_presence_control" ;;
    me) bench_wrk "$run" bench/wrk/get_bearer.lua "$base/me" ;;
    # The rooms content_admin reads, through its lighter rule (the installation's and the public worlds, no
    # memberships, visits or bans): the cheapest world rule.
    admin) BENCH_TOKEN=$ADMIN_TOKEN bench_wrk "$run" bench/wrk/get_bearer.lua "$base/rooms" ;;
  esac
  rps[$run]=$BENCH_rps p50[$run]=$BENCH_p50_us p99[$run]=$BENCH_p99_us errors[$run]=$BENCH_errors
done
base_rps=$(awk -v a="${rps[baseline]}" -v b="${rps[baseline2]}" 'BEGIN {print (a + b) / 2}')
ratio() { awk -v a="$1" -v b="$base_rps" 'BEGIN {printf "%.0f%%", 100 * a / b}'; }
row() {
  printf '| %s | %.0f | %s | %s | %s | %s |\n' "$1" "${rps[$2]}" "$(ms "${p50[$2]}")" "$(ms "${p99[$2]}")" \
    "${errors[$2]}" "$(ratio "${rps[$2]}")"
}
vs() { awk -v a="${rps[$1]}" -v b="${rps[$2]}" 'BEGIN {printf "%.0f%%", 100 * a / b}'; }
verdict() { awk -v a="${rps[$1]}" -v b="$base_rps" 'BEGIN {print (a >= 0.6 * b) ? "met" : "NOT met"}'; }
pg_version=$(psql "$OWNER_URL_NOPW" -XAtqc 'SHOW server_version')

mkdir -p bench/results
cat >bench/results/worlds.md <<MD
## Worlds: row-level security by world (issue 11)

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $(bench_machine)
- Command: \`bash bench/bench_worlds.sh\` (part of \`make bench\`): wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION --latency per endpoint, the baseline before and after
- Data: bench/sql/worlds_1k.sql: $worlds worlds, each with a main room, a spawn point, a building and its owner online; the caller (a signed-in player) is a member of $memberships of them. GET /rooms returns $rooms_rows rooms to the caller, GET /presence $presence_rows players.
- Server: PostgreSQL $pg_version in a fresh throwaway cluster, PostgREST 12.0.2, all on the same CPUs

| endpoint | requests/s | median | p99 | errors | vs baseline |
|---|---:|---:|---:|---:|---:|
$(row 'GET /bench_baseline (one-row view, no RLS), before' baseline)
$(row 'GET /rooms (signed in)' rooms)
$(row 'GET /bench_rooms_control (signed in: the same rooms, no world rule)' rooms_control)
$(row 'GET /presence (signed in)' presence)
$(row 'GET /bench_presence_control (signed in: the same players, no world rule)' presence_control)
$(row 'GET /me (signed in, one row: the cost of a signed-in request)' me)
$(row "GET /rooms as content_admin ($admin_rows rows, content_admin's lighter rule)" admin)
$(row 'GET /bench_baseline, after' baseline2)

"vs baseline" is against the mean of the two baseline runs. Target: 60% or more of the baseline. GET /rooms: **$(verdict rooms)**; GET /presence: **$(verdict presence)**. What the world rule itself costs, each endpoint against its control (the same rows and the same
signed-in request, with the caller's readable worlds given as a constant): GET /rooms
$(vs rooms rooms_control), GET /presence $(vs presence presence_control). The controls against
/bench_baseline ($(ratio "${rps[rooms_control]}") and $(ratio "${rps[presence_control]}")) are what a signed-in response of that many rows
costs with no rule at all. GET /rooms against content_admin's read (a lighter rule, fewer rows): $(vs rooms admin).

The plans, as the caller (EXPLAIN ANALYZE as role player with the caller's claims). The world rule is
\`world_id = ANY ((SELECT app.readable_world_ids())::uuid[])\`: one InitPlan per statement, then the
world_id index probed once per readable world, never a function call per row.

\`\`\`
-- SELECT * FROM api.rooms
$(cat "$BENCH_TMP/rooms.plan")

-- SELECT * FROM api.presence
$(cat "$BENCH_TMP/presence.plan")
\`\`\`
MD
info "wrote bench/results/worlds.md"
