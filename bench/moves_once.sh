#!/usr/bin/env bash
# One run of the apply_moves benchmark on a fresh database of the checkout it is run in (bench/bench_moves_ab.sh
# runs it in this checkout and in a reference one). 200 players are entered into a room of their own,
# bench-moves (40 x 30, max_speed 100, in the default world); where the schema has worlds, 1,000 of them
# (900 private, 50 unlisted, 50 public, each with a lobby), 50 memberships per mover and 500 bans are in
# place first. Then bench/moves_load.py times MOVES_CALLS calls of 50 moves. Prints its RESULT line.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ARK_ROOT/scripts/lib/cluster.sh"
source "$ARK_ROOT/scripts/lib/fresh_db.sh"
cd "$ARK_ROOT"
CALLS=${MOVES_CALLS:-2000}
trap 'fresh_db_close' EXIT

fresh_db_deploy durable >&2
use_owner_url "$FRESH_DB_URL"
DB=$OWNER_URL_NOPW
sql() { psql "$DB" -XAtq -v ON_ERROR_STOP=1 "$@"; }

sql >&2 <<'SQL'
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, max_speed)
VALUES ('bench-moves', 'Bench', 'town', 40, 30, 5, 5, 100);
INSERT INTO app.users (display_name, avatar_sprite) SELECT 'mover-' || i, 'brendan' FROM generate_series(1, 200) AS i;
SELECT count(realtime.join(u.id, 'bench-moves', 'bench-' || u.id))
  FROM app.users u WHERE u.display_name LIKE 'mover-%';
-- Each mover stands on a tile of its own: (1 + i % 36, 1 + i / 36).
UPDATE app.player_presence p SET x = 1 + (s.n % 36)::int, y = 1 + (s.n / 36)::int
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM app.users WHERE display_name LIKE 'mover-%') AS s
 WHERE p.user_id = s.id;
SQL
if [[ $(sql -c "SELECT to_regclass('app.worlds') IS NOT NULL") == t ]]; then
  info "world rules in place: 1,000 worlds, 50 memberships per mover, 500 bans" >&2
  sql >&2 <<'SQL'
INSERT INTO app.users (display_name, avatar_sprite) SELECT 'founder-' || i, 'brendan' FROM generate_series(1, 1000) AS i;
WITH founders AS (
  SELECT id, row_number() OVER (ORDER BY id) AS n FROM app.users WHERE display_name LIKE 'founder-%'
), made AS (
  INSERT INTO app.worlds (slug, name, owner_id, visibility)
  SELECT 'bench-' || n, 'Bench ' || n, id, CASE WHEN n <= 900 THEN 'private' WHEN n <= 950 THEN 'unlisted' ELSE 'public' END
    FROM founders
  RETURNING id, owner_id
)
INSERT INTO app.world_members (world_id, user_id, role) SELECT id, owner_id, 'owner' FROM made;
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
SELECT id, 'lobby', 'Lobby', 40, 30, 5, 5, true FROM app.worlds WHERE slug LIKE 'bench-%';
INSERT INTO app.world_members (world_id, user_id, role)
SELECT w.id, u.id, 'member'
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM app.users WHERE display_name LIKE 'mover-%') AS u
  JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM app.worlds WHERE slug LIKE 'bench-%') AS w
    ON (w.n + u.n) % 20 = 0;
INSERT INTO app.world_bans (world_id, user_id)
SELECT w.id, u.id
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM app.users WHERE display_name LIKE 'mover-%') AS u
  JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM app.worlds WHERE slug LIKE 'bench-%' AND visibility = 'public') AS w
    ON (w.n + u.n) % 20 = 1;
ANALYZE;
SQL
  sql -c "SELECT 'memberships per mover: ' || round(avg(c)) FROM (SELECT count(*) AS c FROM app.world_members m JOIN app.users u ON u.id = m.user_id WHERE u.display_name LIKE 'mover-%' GROUP BY m.user_id) x" >&2
  sql -c "SELECT 'bans: ' || count(*) FROM app.world_bans" >&2
fi
sql -c "ANALYZE" >&2
"$VENV/bin/python" bench/moves_load.py "$DB" "$CALLS"
