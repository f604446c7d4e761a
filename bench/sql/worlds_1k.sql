-- Bench data for bench/bench_worlds.sh: 1,000 player worlds (900 private, 50 unlisted, 50 public), each
-- with its owner, a main room, a spawn point, a meeting building and its owner online in it; and one
-- caller, bench-caller@bench.invalid, a member of 50 worlds (40 private, 5 unlisted, 5 public).
BEGIN;

INSERT INTO app.users (display_name, avatar_sprite, is_anonymous, email)
SELECT 'Owner ' || i, 'brendan', false, format('owner-%s@bench.invalid', i) FROM generate_series(1, 1000) AS i;
INSERT INTO app.users (display_name, avatar_sprite, is_anonymous, email)
VALUES ('Bench caller', 'may', false, 'bench-caller@bench.invalid');

INSERT INTO app.worlds (slug, name, owner_id, visibility)
SELECT format('world-%s', i), 'World ' || i, u.id,
       CASE WHEN i % 20 = 0 THEN 'public' WHEN i % 20 = 1 THEN 'unlisted' ELSE 'private' END
  FROM generate_series(1, 1000) AS i
  JOIN app.users u ON u.email = format('owner-%s@bench.invalid', i);
INSERT INTO app.world_members (world_id, user_id, role)
SELECT w.id, w.owner_id, 'owner' FROM app.worlds w WHERE w.owner_id IS NOT NULL;

-- The caller's 50 memberships, spread over the private worlds.
INSERT INTO app.world_members (world_id, user_id, role)
SELECT w.id, (SELECT id FROM app.users WHERE email = 'bench-caller@bench.invalid'), 'member'
  FROM (SELECT id, visibility, row_number() OVER (PARTITION BY visibility ORDER BY slug) AS n
          FROM app.worlds WHERE owner_id IS NOT NULL) AS w
 WHERE (w.visibility = 'private' AND w.n % 20 = 7 AND w.n <= 800) OR (w.visibility <> 'private' AND w.n <= 5);

INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
SELECT w.id, 'lobby', 'Lobby', 40, 30, 20, 15, true FROM app.worlds w WHERE w.owner_id IS NOT NULL;
INSERT INTO app.spawn_points (room_id, slug, x, y, type)
SELECT r.id, 'entrance', 20, 15, 'player' FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE w.owner_id IS NOT NULL;
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
SELECT r.id, 'hall', 'Hall', 'meeting', 2, 2, 6, 4, 4, 5, 'hall-' || substr(md5(w.slug), 1, 8)
  FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE w.owner_id IS NOT NULL;
INSERT INTO app.player_presence (user_id, room_id, x, y)
SELECT w.owner_id, r.id, 20, 15 FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE w.owner_id IS NOT NULL;

COMMIT;
ANALYZE;
