-- Row-level security of worlds (issue 11), as a matrix: world roles x worlds x relations x operations,
-- every cell read from one table of expectations (tests.world_access) and checked with real rows, with
-- requests simulated the way PostgREST makes them. Then the paths around the matrix: forged world ids,
-- rooms moved between worlds, portals, upserts, UPDATE ... FROM and RETURNING, a member who just left,
-- invitations, the installation world, and the plan of the RLS predicate.
BEGIN;
\ir helpers.psql

SELECT plan(6881);

-- Fixtures, as the owner =========================================================================

-- The roles. owner, editor and member hold that role in the private, unlisted, public and archived
-- worlds; outsider has no relation; visitor asked for the unlisted world by slug (and holds stale
-- visits of the private and the archived one); banned is banned from every world (and visited the
-- unlisted one); expired's bans have ended (and visited the unlisted one); bannededitor is an editor
-- of the private, unlisted and public worlds with a ban in force there (a ban ends a membership, so
-- such a row should not exist: it must still grant nothing). stranger owns the world elsewhere.
SELECT tests.create_user(n)
  FROM unnest(ARRAY['owner', 'editor', 'member', 'outsider', 'visitor', 'banned', 'expired', 'bannededitor',
                    'stranger']) AS n;

-- The worlds: ark (the installation's, from the deploy), one private, one unlisted, one public, one
-- archived (public before), elsewhere (public, another player's) and retired (an installation world,
-- archived).
CREATE TABLE tests.w (
  name text PRIMARY KEY, ord integer NOT NULL, id uuid, room uuid, annex uuid, building uuid, spawn uuid
);
INSERT INTO tests.w (name, ord, id)
SELECT 'ark', 1, id FROM app.worlds WHERE slug = 'ark';
WITH new AS (
  INSERT INTO app.worlds (slug, name, owner_id, visibility, archived_at)
  VALUES ('rls-private',   'Private',   tests.id_of('owner'),    'private',  NULL),
         ('rls-unlisted',  'Unlisted',  tests.id_of('owner'),    'unlisted', NULL),
         ('rls-public',    'Public',    tests.id_of('owner'),    'public',   NULL),
         ('rls-archived',  'Archived',  tests.id_of('owner'),    'public',   now()),
         ('rls-elsewhere', 'Elsewhere', tests.id_of('stranger'), 'public',   NULL),
         ('rls-retired',   'Retired',   NULL,                    'public',   now())
  RETURNING id, slug)
INSERT INTO tests.w (name, ord, id)
SELECT substr(slug, 5), CASE substr(slug, 5) WHEN 'private' THEN 2 WHEN 'unlisted' THEN 3 WHEN 'public' THEN 4
                                             WHEN 'archived' THEN 5 WHEN 'elsewhere' THEN 6 ELSE 7 END, id
  FROM new;
INSERT INTO app.world_members (world_id, user_id, role)
SELECT w.id, tests.id_of(m.who), m.role
  FROM tests.w w
  JOIN (VALUES ('owner', 'owner'), ('editor', 'editor'), ('member', 'member')) AS m(who, role) ON true
 WHERE w.name IN ('private', 'unlisted', 'public', 'archived')
UNION ALL
SELECT id, tests.id_of('stranger'), 'owner' FROM tests.w WHERE name = 'elsewhere'
UNION ALL
SELECT id, tests.id_of('bannededitor'), 'editor' FROM tests.w WHERE name IN ('private', 'unlisted', 'public');
SELECT lives_ok('SET CONSTRAINTS app.worlds_one_owner, app.world_members_one_owner IMMEDIATE',
  'the fixture worlds each have their one owner (the deferred check, run now)');
SET CONSTRAINTS app.worlds_one_owner, app.world_members_one_owner DEFERRED;

-- Content: in each world a room with a building and a spawn point, and an empty annex to delete.
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
SELECT w.id, r.slug, r.slug, 20, 20, 1, 1, r.slug = 'rls-room' AND w.name <> 'ark'
  FROM tests.w w CROSS JOIN (VALUES ('rls-room'), ('rls-annex')) AS r(slug);
UPDATE tests.w SET room = r.id FROM app.rooms r WHERE r.world_id = w.id AND r.slug = 'rls-room';
UPDATE tests.w SET annex = r.id FROM app.rooms r WHERE r.world_id = w.id AND r.slug = 'rls-annex';
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
SELECT room, 'rls-hall', 'Hall', 'meeting', 5, 5, 3, 3, 6, 8, 'rls-hall-' || name FROM tests.w;
UPDATE tests.w SET building = b.id FROM app.buildings b WHERE b.room_id = w.room AND b.slug = 'rls-hall';
INSERT INTO app.spawn_points (room_id, slug, x, y, type) SELECT room, 'rls-door', 2, 2, 'player' FROM tests.w;
UPDATE tests.w SET spawn = s.id FROM app.spawn_points s WHERE s.room_id = w.room AND s.slug = 'rls-door';

-- Maps: each world's rls-room has two versions, the second current; the annex has none.
INSERT INTO app.map_versions (room_id, world_id, version, name, map, summary, width, height, collision, publisher_role)
SELECT w.room, w.id, v, 'Version ' || v, '{"type": "map"}', '{}', 20, 20, repeat('0', 400)::bit varying, 'dba'
  FROM tests.w w CROSS JOIN generate_series(1, 2) AS v;
UPDATE app.rooms r SET map_version = 2 FROM tests.w w WHERE r.id = w.room;

-- Presence: one walker in each world.
SELECT tests.create_user('walker-' || name) FROM tests.w;
INSERT INTO app.player_presence (user_id, room_id, x, y) SELECT tests.id_of('walker-' || name), room, 3, 3 FROM tests.w;

-- Invitations (one per player world, and an expired one for the outsider's address), bans, visits.
INSERT INTO app.world_invitations (world_id, role, token_hash, created_by)
SELECT w.id, 'member', sha256(convert_to('token-' || w.name, 'UTF8')), coalesce(m.user_id, tests.id_of('owner'))
  FROM tests.w w LEFT JOIN app.world_members m ON m.world_id = w.id AND m.role = 'owner'
 WHERE w.name NOT IN ('ark', 'retired');
INSERT INTO app.world_invitations (world_id, role, token_hash, created_by, created_at, expires_at, email)
SELECT id, 'member', sha256('\x00'::bytea), tests.id_of('owner'), now() - interval '8 days', now() - interval '1 day',
       'outsider@example.org'
  FROM tests.w WHERE name = 'private';
INSERT INTO app.world_bans (world_id, user_id, reason, banned_by, created_at, until)
SELECT id, tests.id_of('banned'), 'rude', NULL::uuid, now(), NULL::timestamptz FROM tests.w
UNION ALL
SELECT id, tests.id_of('expired'), 'was rude', NULL, now() - interval '2 days', now() - interval '1 day' FROM tests.w
UNION ALL
SELECT id, tests.id_of('bannededitor'), 'rude', NULL, now(), now() + interval '1 day' FROM tests.w
 WHERE name IN ('private', 'unlisted', 'public');
INSERT INTO app.world_visitors (world_id, user_id)
SELECT w.id, tests.id_of(v.who)
  FROM tests.w w
  JOIN (VALUES ('visitor', 'private'), ('visitor', 'unlisted'), ('visitor', 'archived'),
               ('banned', 'unlisted'), ('expired', 'unlisted')) AS v(who, world) ON v.world = w.name;

-- The expectations ===============================================================================
-- One row per role and world. Each letter is a right; a dot is its absence:
--   C  reads the world's content: app and api rooms, buildings and spawn points, and the current map
--      (api.room_maps, the current row of app.map_versions)
--   P  reads the world's presence (api.presence)
--   W  reads the world's row of app.worlds
--   E  edits: INSERT, UPDATE and DELETE of its rooms, buildings and spawn points (app tables and api
--      views), PATCH of the world's name and description
--   O  PATCHes the world's slug
--   Y  PATCHes the world's visibility (the owner's, as O; never the default world's, which stays public)
--   M  reads its world_members
--   I  reads its world_invitations (never token_hash: no role reads that column, checked below)
--   B  reads its world_bans
--   V  reads its own world_visitors row
--   H  reads the world's map history: every version in app.map_versions and api.map_versions (a player
--      who owns or edits the world, archived and banned excepted; content_admin: the installation's worlds)
-- Nobody writes app.worlds (INSERT, DELETE), world_members, world_invitations, world_bans,
-- world_visitors, api.presence, app.map_versions, api.map_versions or api.room_maps directly: those cells
-- expect deny for every role.
CREATE TABLE tests.world_access (role text, world text, rights text, PRIMARY KEY (role, world));
INSERT INTO tests.world_access VALUES
  --  role            world        CPWEOMIBVYH
    ('owner',         'ark',       'CPW........'),
    ('owner',         'private',   'CPWEOMIB.YH'),
    ('owner',         'unlisted',  'CPWEOMIB.YH'),
    ('owner',         'public',    'CPWEOMIB.YH'),
    ('owner',         'archived',  'CPW..M.....'),
    ('owner',         'elsewhere', 'CPW........'),
    ('owner',         'retired',   '...........'),
    ('editor',        'ark',       'CPW........'),
    ('editor',        'private',   'CPWE.MIB..H'),
    ('editor',        'unlisted',  'CPWE.MIB..H'),
    ('editor',        'public',    'CPWE.MIB..H'),
    ('editor',        'archived',  '...........'),
    ('editor',        'elsewhere', 'CPW........'),
    ('editor',        'retired',   '...........'),
    ('member',        'ark',       'CPW........'),
    ('member',        'private',   'CPW..M.....'),
    ('member',        'unlisted',  'CPW..M.....'),
    ('member',        'public',    'CPW..M.....'),
    ('member',        'archived',  '...........'),
    ('member',        'elsewhere', 'CPW........'),
    ('member',        'retired',   '...........'),
    ('outsider',      'ark',       'CPW........'),
    ('outsider',      'private',   '...........'),
    ('outsider',      'unlisted',  '...........'),
    ('outsider',      'public',    'CPW........'),
    ('outsider',      'archived',  '...........'),
    ('outsider',      'elsewhere', 'CPW........'),
    ('outsider',      'retired',   '...........'),
    ('visitor',       'ark',       'CPW........'),
    ('visitor',       'private',   '........V..'),
    ('visitor',       'unlisted',  'CPW.....V..'),
    ('visitor',       'public',    'CPW........'),
    ('visitor',       'archived',  '........V..'),
    ('visitor',       'elsewhere', 'CPW........'),
    ('visitor',       'retired',   '...........'),
    ('banned',        'ark',       '...........'),
    ('banned',        'private',   '...........'),
    ('banned',        'unlisted',  '........V..'),
    ('banned',        'public',    '...........'),
    ('banned',        'archived',  '...........'),
    ('banned',        'elsewhere', '...........'),
    ('banned',        'retired',   '...........'),
    ('expired',       'ark',       'CPW........'),
    ('expired',       'private',   '...........'),
    ('expired',       'unlisted',  'CPW.....V..'),
    ('expired',       'public',    'CPW........'),
    ('expired',       'archived',  '...........'),
    ('expired',       'elsewhere', 'CPW........'),
    ('expired',       'retired',   '...........'),
    ('bannededitor',  'ark',       'CPW........'),
    ('bannededitor',  'private',   '...........'),
    ('bannededitor',  'unlisted',  '...........'),
    ('bannededitor',  'public',    '...........'),
    ('bannededitor',  'archived',  '...........'),
    ('bannededitor',  'elsewhere', 'CPW........'),
    ('bannededitor',  'retired',   '...........'),
    ('web_anon',      'ark',       'C.W........'),
    ('web_anon',      'private',   '...........'),
    ('web_anon',      'unlisted',  '...........'),
    ('web_anon',      'public',    'C.W........'),
    ('web_anon',      'archived',  '...........'),
    ('web_anon',      'elsewhere', 'C.W........'),
    ('web_anon',      'retired',   '...........'),
    ('agent_service', 'ark',       'C.W........'),
    ('agent_service', 'private',   '...........'),
    ('agent_service', 'unlisted',  '...........'),
    ('agent_service', 'public',    'C.W........'),
    ('agent_service', 'archived',  '...........'),
    ('agent_service', 'elsewhere', 'C.W........'),
    ('agent_service', 'retired',   '...........'),
    -- content_admin looks after the installation: it reads and edits the installation's own worlds
    -- (reads an archived one, edits none), and reads the public ones as anyone does. Never a player's
    -- private, unlisted or archived world, nor who is in or banned from a player's world.
    ('content_admin', 'ark',       'C.WEOM.B..H'),
    ('content_admin', 'private',   '...........'),
    ('content_admin', 'unlisted',  '...........'),
    ('content_admin', 'public',    'C.W........'),
    ('content_admin', 'archived',  '...........'),
    ('content_admin', 'elsewhere', 'C.W........'),
    ('content_admin', 'retired',   'C.W..M.B..H');

SELECT is((SELECT count(*) FROM tests.world_access a JOIN tests.w w ON w.name = a.world), 11 * 7::bigint,
  'the expectations name every role in every world');

-- The relations and operations, each with the right that allows it ('-': nobody) and its statement (a
-- format() string: %1$L the world's id, %2$L its room, %3$L its annex, %4$L its building, %5$L its spawn
-- point, %6$L the outsider's id). A count cell holds a query that counts the world's visible rows;
-- the api views are written with RETURNING, as PostgREST writes them.
CREATE TABLE tests.operations (relation text, op text, right_letter text, kind text, template text,
                               PRIMARY KEY (relation, op));
INSERT INTO tests.operations VALUES
  ('app.worlds', 'SELECT', 'W', 'count', 'SELECT count(*) FROM app.worlds WHERE id = %1$L'),
  ('app.worlds', 'SELECT unfiltered', 'W', 'count', 'SELECT count(*) FILTER (WHERE id = %1$L) FROM app.worlds'),
  ('app.worlds', 'INSERT', '-', 'write', $$INSERT INTO app.worlds (slug, name) VALUES ('rls-forged', 'Forged')$$),
  ('app.worlds', 'UPDATE name', 'E', 'write', $$UPDATE app.worlds SET name = 'Renamed' WHERE id = %1$L$$),
  ('app.worlds', 'UPDATE description', 'E', 'write', $$UPDATE app.worlds SET description = 'Changed' WHERE id = %1$L$$),
  ('app.worlds', 'UPDATE slug', 'O', 'write', $$UPDATE app.worlds SET slug = slug || '-moved' WHERE id = %1$L$$),
  ('app.worlds', 'UPDATE visibility', 'Y', 'write',
   $$UPDATE app.worlds SET visibility = CASE visibility WHEN 'private' THEN 'unlisted' ELSE 'private' END WHERE id = %1$L$$),
  ('app.worlds', 'DELETE', '-', 'write', 'DELETE FROM app.worlds WHERE id = %1$L'),
  ('app.world_members', 'SELECT', 'M', 'count', 'SELECT count(*) FROM app.world_members WHERE world_id = %1$L'),
  ('app.world_members', 'SELECT unfiltered', 'M', 'count', 'SELECT count(*) FILTER (WHERE world_id = %1$L) FROM app.world_members'),
  ('app.world_members', 'INSERT', '-', 'write', $$INSERT INTO app.world_members (world_id, user_id, role) VALUES (%1$L, %6$L, 'editor')$$),
  ('app.world_members', 'UPDATE', '-', 'write', $$UPDATE app.world_members SET role = 'editor' WHERE world_id = %1$L$$),
  ('app.world_members', 'DELETE', '-', 'write', 'DELETE FROM app.world_members WHERE world_id = %1$L'),
  ('app.world_invitations', 'SELECT', 'I', 'count', 'SELECT count(*) FROM app.world_invitations WHERE world_id = %1$L'),
  ('app.world_invitations', 'SELECT unfiltered', 'I', 'count',
   'SELECT count(*) FILTER (WHERE world_id = %1$L) FROM app.world_invitations'),
  ('app.world_invitations', 'SELECT token_hash', '-', 'error',
   'SELECT count(token_hash) FROM app.world_invitations WHERE world_id = %1$L'),
  ('app.world_invitations', 'SELECT whole row', '-', 'error',
   'SELECT count(i) FROM app.world_invitations i WHERE world_id = %1$L'),
  ('app.world_invitations', 'SELECT by token_hash', '-', 'error',
   $$SELECT count(*) FROM app.world_invitations WHERE world_id = %1$L AND token_hash > '\x00'$$),
  ('app.world_invitations', 'INSERT', '-', 'write',
   $$INSERT INTO app.world_invitations (world_id, token_hash) VALUES (%1$L, sha256('\x01'::bytea))$$),
  ('app.world_invitations', 'UPDATE', '-', 'write', 'UPDATE app.world_invitations SET revoked_at = now() WHERE world_id = %1$L'),
  ('app.world_invitations', 'DELETE', '-', 'write', 'DELETE FROM app.world_invitations WHERE world_id = %1$L'),
  ('app.world_bans', 'SELECT', 'B', 'count', 'SELECT count(*) FROM app.world_bans WHERE world_id = %1$L'),
  ('app.world_bans', 'SELECT unfiltered', 'B', 'count', 'SELECT count(*) FILTER (WHERE world_id = %1$L) FROM app.world_bans'),
  ('app.world_bans', 'INSERT', '-', 'write', 'INSERT INTO app.world_bans (world_id, user_id) VALUES (%1$L, %6$L)'),
  ('app.world_bans', 'UPDATE', '-', 'write', 'UPDATE app.world_bans SET until = NULL WHERE world_id = %1$L'),
  ('app.world_bans', 'DELETE', '-', 'write', 'DELETE FROM app.world_bans WHERE world_id = %1$L'),
  ('app.world_visitors', 'SELECT', 'V', 'count', 'SELECT count(*) FROM app.world_visitors WHERE world_id = %1$L'),
  ('app.world_visitors', 'SELECT unfiltered', 'V', 'count', 'SELECT count(*) FILTER (WHERE world_id = %1$L) FROM app.world_visitors'),
  ('app.world_visitors', 'INSERT', '-', 'write',
   'INSERT INTO app.world_visitors (world_id, user_id) VALUES (%1$L, coalesce(auth.user_id(), %6$L))'),
  ('app.world_visitors', 'UPDATE', '-', 'write', 'UPDATE app.world_visitors SET first_visit_at = now() WHERE world_id = %1$L'),
  ('app.world_visitors', 'DELETE', '-', 'write', 'DELETE FROM app.world_visitors WHERE world_id = %1$L'),
  ('api.presence', 'SELECT', 'P', 'count', 'SELECT count(*) FROM api.presence WHERE world_id = %1$L'),
  ('api.presence', 'SELECT unfiltered', 'P', 'count', 'SELECT count(*) FILTER (WHERE world_id = %1$L) FROM api.presence'),
  ('api.presence', 'SELECT by room', 'P', 'count', 'SELECT count(*) FROM api.presence WHERE room_id = %2$L'),
  ('api.presence', 'INSERT', '-', 'write', 'INSERT INTO api.presence (user_id, room_id, x, y) VALUES (%6$L, %2$L, 1, 1)'),
  ('api.presence', 'UPDATE', '-', 'write', 'UPDATE api.presence SET x = 1 WHERE world_id = %1$L'),
  ('api.presence', 'DELETE', '-', 'write', 'DELETE FROM api.presence WHERE world_id = %1$L'),
  -- Maps (issue 12): the room's current version (2) with the room, the older one (1) with the history.
  ('app.map_versions', 'SELECT current', 'C', 'count', 'SELECT count(*) FROM app.map_versions WHERE room_id = %2$L AND version = 2'),
  ('app.map_versions', 'SELECT history', 'H', 'count', 'SELECT count(*) FROM app.map_versions WHERE room_id = %2$L AND version = 1'),
  ('app.map_versions', 'SELECT history unfiltered', 'H', 'count',
   'SELECT count(*) FILTER (WHERE world_id = %1$L AND room_id = %2$L AND version = 1) FROM app.map_versions'),
  ('app.map_versions', 'INSERT', '-', 'write',
   $$INSERT INTO app.map_versions (room_id, world_id, version, name, map, summary, width, height, collision, publisher_role)
     VALUES (%2$L, %1$L, 3, 'Forged', '{}', '{}', 1, 1, B'0', 'player')$$),
  ('app.map_versions', 'UPDATE', '-', 'write', $$UPDATE app.map_versions SET name = 'Forged' WHERE room_id = %2$L AND version = 2$$),
  ('app.map_versions', 'DELETE', '-', 'write', 'DELETE FROM app.map_versions WHERE room_id = %2$L AND version = 1'),
  ('api.map_versions', 'SELECT', 'H', 'count', 'SELECT count(*) FROM api.map_versions WHERE room_id = %2$L'),
  ('api.map_versions', 'INSERT', '-', 'write',
   $$INSERT INTO api.map_versions (room_id, version, name, summary) VALUES (%2$L, 3, 'Forged', '{}') RETURNING room_id$$),
  ('api.map_versions', 'UPDATE', '-', 'write', $$UPDATE api.map_versions SET name = 'Forged' WHERE room_id = %2$L RETURNING room_id$$),
  ('api.map_versions', 'DELETE', '-', 'write', 'DELETE FROM api.map_versions WHERE room_id = %2$L RETURNING room_id'),
  ('api.room_maps', 'SELECT', 'C', 'count', 'SELECT count(*) FROM api.room_maps WHERE room_id = %2$L'),
  ('api.room_maps', 'INSERT', '-', 'write',
   $$INSERT INTO api.room_maps (room_id, version, map) VALUES (%2$L, 1, '{}') RETURNING room_id$$),
  ('api.room_maps', 'UPDATE', '-', 'write', $$UPDATE api.room_maps SET map = '{}' WHERE room_id = %2$L RETURNING room_id$$),
  ('api.room_maps', 'DELETE', '-', 'write', 'DELETE FROM api.room_maps WHERE room_id = %2$L RETURNING room_id');
-- The content tables and their views: the same operations on each.
INSERT INTO tests.operations
SELECT rel, o.op, o.right_letter, o.kind,
       CASE WHEN rel LIKE 'api.%' AND o.kind = 'write' THEN replace(o.template, '<rel>', rel) || ' RETURNING id'
            ELSE replace(o.template, '<rel>', rel) END
  FROM unnest(ARRAY['app.rooms', 'api.rooms']) AS rel,
       (VALUES ('SELECT', 'C', 'count', 'SELECT count(*) FROM <rel> WHERE world_id = %1$L'),
               ('SELECT unfiltered', 'C', 'count', 'SELECT count(*) FILTER (WHERE world_id = %1$L) FROM <rel>'),
               ('SELECT by id', 'C', 'count', 'SELECT count(*) FROM <rel> WHERE id = %2$L'),
               ('INSERT', 'E', 'write', $$INSERT INTO <rel> (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                                         VALUES (%1$L, 'rls-new', 'New', 10, 10, 1, 1)$$),
               ('UPDATE', 'E', 'write', $$UPDATE <rel> SET name = 'Renamed', proximity_radius = 6 WHERE id = %2$L$$),
               ('DELETE', 'E', 'write', 'DELETE FROM <rel> WHERE id = %3$L')) AS o(op, right_letter, kind, template)
UNION ALL
SELECT rel, o.op, o.right_letter, o.kind,
       CASE WHEN rel LIKE 'api.%' AND o.kind = 'write' THEN replace(o.template, '<rel>', rel) || ' RETURNING id'
            ELSE replace(o.template, '<rel>', rel) END
  FROM unnest(ARRAY['app.buildings', 'api.buildings']) AS rel,
       (VALUES ('SELECT', 'C', 'count', 'SELECT count(*) FROM <rel> WHERE world_id = %1$L'),
               ('SELECT unfiltered', 'C', 'count', 'SELECT count(*) FILTER (WHERE world_id = %1$L) FROM <rel>'),
               ('SELECT by room', 'C', 'count', 'SELECT count(*) FROM <rel> WHERE room_id = %2$L'),
               ('INSERT', 'E', 'write', $$INSERT INTO <rel> (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                                         VALUES (%2$L, 'rls-new', 'New', 'meeting', 10, 10, 2, 2, 11, 12, 'rls-new')$$),
               ('UPDATE', 'E', 'write', $$UPDATE <rel> SET name = 'Renamed', x = 6, door_x = 7 WHERE id = %4$L$$),
               ('DELETE', 'E', 'write', 'DELETE FROM <rel> WHERE id = %4$L')) AS o(op, right_letter, kind, template)
UNION ALL
SELECT rel, o.op, o.right_letter, o.kind,
       CASE WHEN rel LIKE 'api.%' AND o.kind = 'write' THEN replace(o.template, '<rel>', rel) || ' RETURNING id'
            ELSE replace(o.template, '<rel>', rel) END
  FROM unnest(ARRAY['app.spawn_points', 'api.spawn_points']) AS rel,
       (VALUES ('SELECT', 'C', 'count', 'SELECT count(*) FROM <rel> WHERE world_id = %1$L'),
               ('SELECT unfiltered', 'C', 'count', 'SELECT count(*) FILTER (WHERE world_id = %1$L) FROM <rel>'),
               ('SELECT by room', 'C', 'count', 'SELECT count(*) FROM <rel> WHERE room_id = %2$L'),
               ('INSERT', 'E', 'write', $$INSERT INTO <rel> (room_id, slug, x, y, type) VALUES (%2$L, 'rls-new', 4, 4, 'player')$$),
               ('UPDATE', 'E', 'write', $$UPDATE <rel> SET direction = 'left', x = 3 WHERE id = %5$L$$),
               ('DELETE', 'E', 'write', 'DELETE FROM <rel> WHERE id = %5$L')) AS o(op, right_letter, kind, template);

-- How many rows of each world there are (read as the owner, whom row-level security does not filter):
-- a count cell expects them all where its right holds, none where it does not. world_visitors: only
-- the role's own visit.
CREATE FUNCTION tests.world_rows(relation text, op text, role text, w tests.w) RETURNS bigint
  LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN relation = 'app.worlds' THEN 1
    WHEN relation = 'app.world_members' THEN (SELECT count(*) FROM app.world_members WHERE world_id = w.id)
    WHEN relation = 'app.world_invitations' THEN (SELECT count(*) FROM app.world_invitations WHERE world_id = w.id)
    WHEN relation = 'app.world_bans' THEN (SELECT count(*) FROM app.world_bans WHERE world_id = w.id)
    WHEN relation = 'app.world_visitors' THEN
      (SELECT count(*) FROM app.world_visitors WHERE world_id = w.id AND user_id = tests.id_of(role))
    WHEN relation = 'api.presence' THEN
      (SELECT count(*) FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id
        WHERE p.status <> 'offline' AND CASE WHEN op = 'SELECT by room' THEN p.room_id = w.room ELSE r.world_id = w.id END)
    WHEN relation = 'app.map_versions' THEN
      (SELECT count(*) FROM app.map_versions WHERE room_id = w.room AND version = CASE WHEN op LIKE 'SELECT history%' THEN 1 ELSE 2 END)
    WHEN relation = 'api.map_versions' THEN (SELECT count(*) FROM app.map_versions WHERE room_id = w.room)
    WHEN relation = 'api.room_maps' THEN (SELECT count(*) FROM app.rooms WHERE id = w.room AND map_version IS NOT NULL)
    WHEN relation LIKE '%.rooms' THEN
      (SELECT count(*) FROM app.rooms WHERE CASE WHEN op = 'SELECT by id' THEN id = w.room ELSE world_id = w.id END)
    WHEN relation LIKE '%.buildings' THEN
      (SELECT count(*) FROM app.buildings WHERE CASE WHEN op = 'SELECT by room' THEN room_id = w.room ELSE world_id = w.id END)
    WHEN relation LIKE '%.spawn_points' THEN
      (SELECT count(*) FROM app.spawn_points WHERE CASE WHEN op = 'SELECT by room' THEN room_id = w.room ELSE world_id = w.id END)
  END
$$;

-- Every cell: its statement and the outcome expected. count: 'n=<rows>'; write: allow (exactly one
-- row written) or deny (refused by a grant or a policy: 42501, the 403 of app.worlds_edit_rules, or
-- no row reached); error: the SQLSTATE.
CREATE TABLE tests.cells (
  id serial PRIMARY KEY, role text, world text, relation text, op text, kind text, sql text, expected text, outcome text
);
INSERT INTO tests.cells (role, world, relation, op, kind, sql, expected)
SELECT a.role, w.name, o.relation, o.op, o.kind,
       format(o.template, w.id, w.room, w.annex, w.building, w.spawn, tests.id_of('outsider')),
       CASE o.kind
         WHEN 'count' THEN 'n=' || CASE WHEN strpos(a.rights, o.right_letter) > 0
                                       THEN tests.world_rows(o.relation, o.op, a.role, w) ELSE 0 END
         WHEN 'write' THEN CASE WHEN o.right_letter <> '-' AND strpos(a.rights, o.right_letter) > 0 THEN 'allow' ELSE 'deny' END
         ELSE '42501' END
  FROM tests.world_access a
  JOIN tests.w w ON w.name = a.world
 CROSS JOIN tests.operations o
 ORDER BY array_position(ARRAY['owner', 'editor', 'member', 'outsider', 'visitor', 'banned', 'expired', 'bannededitor',
                               'web_anon', 'agent_service', 'content_admin'], a.role),
          w.ord, o.relation, o.op;

-- The matrix has counts that say something: every count right is seen with rows somewhere.
SELECT is((SELECT count(*) FROM tests.cells), 77 * (SELECT count(*) FROM tests.operations), 'the matrix has every cell');
SELECT is_empty($$SELECT o.relation, o.op FROM tests.operations o WHERE o.kind = 'count'
                   AND NOT EXISTS (SELECT FROM tests.cells c WHERE c.relation = o.relation AND c.op = o.op AND c.expected <> 'n=0')$$,
  'every count cell kind expects rows for some role in some world');

-- Runs every cell as its role, each in a subtransaction that is rolled back (what one cell writes is
-- gone before the next), and records the outcome.
CREATE FUNCTION tests.run_cells() RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  r text;
  c record;
  n bigint;
  st text;
  msg text;
  outcomes text[] := '{}';
  ids integer[] := '{}';
BEGIN
  FOREACH r IN ARRAY ARRAY['owner', 'editor', 'member', 'outsider', 'visitor', 'banned', 'expired', 'bannededitor',
                           'web_anon', 'agent_service', 'content_admin'] LOOP
    PERFORM tests.as_owner();
    FOR c IN SELECT * FROM tests.cells WHERE role = r ORDER BY id LOOP
      CASE r
        WHEN 'web_anon' THEN PERFORM tests.clear_authentication();
        WHEN 'agent_service' THEN PERFORM tests.authenticate_service('agent_service');
        WHEN 'content_admin' THEN PERFORM tests.authenticate_service('content_admin');
        ELSE PERFORM tests.authenticate_as((SELECT a.id FROM tests.actors a WHERE a.name = r));
      END CASE;
      BEGIN
        IF c.kind = 'write' THEN
          EXECUTE c.sql;
          GET DIAGNOSTICS n = ROW_COUNT;
        ELSE
          EXECUTE c.sql INTO n;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'P0099', MESSAGE = n::text;
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        IF st = 'PGRST' THEN
          st := msg::jsonb ->> 'code';
          msg := msg::jsonb ->> 'message';
        END IF;
        outcomes := outcomes || CASE
          WHEN st = 'P0099' THEN CASE c.kind WHEN 'count' THEN 'n=' || msg WHEN 'write' THEN 'rows=' || msg ELSE 'no error' END
          ELSE st || ': ' || msg END;
        ids := ids || c.id;
      END;
    END LOOP;
  END LOOP;
  PERFORM tests.as_owner();
  UPDATE tests.cells SET outcome = o.outcome FROM unnest(ids, outcomes) AS o(id, outcome) WHERE cells.id = o.id;
END
$$;
GRANT SELECT ON tests.cells, tests.w TO web_anon, player, agent_service, content_admin;
GRANT EXECUTE ON FUNCTION tests.run_cells() TO web_anon, player, agent_service, content_admin;

-- A refusal is a grant (permission denied for a table or view) or a policy (new row violates ...), never
-- anything else (api.presence and api.room_maps, joins, and api.map_versions, ordered, are no updatable views): a cell denied by a missing function grant or a constraint would hide a broken allow.
CREATE FUNCTION tests.verdict(kind text, outcome text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN kind = 'count' AND outcome ~ '^42501: permission denied for (table|view) ' THEN 'n=0'
    WHEN kind = 'count' THEN outcome
    WHEN kind = 'error' THEN CASE WHEN outcome ~ '^42501: permission denied for table ' THEN '42501' ELSE outcome END
    WHEN outcome = 'rows=1' THEN 'allow'
    WHEN outcome = 'rows=0' THEN 'deny'
    WHEN outcome ~ '^42501: (permission denied for (table|view) |new row violates row-level security policy)' THEN 'deny'
    WHEN outcome ~ '^55000: cannot (insert into|update|delete from) view "presence"$' THEN 'deny'
    WHEN outcome ~ '^55000: cannot (insert into|update|delete from) view "(room_maps|map_versions)"$' THEN 'deny'
    WHEN outcome = 'PT403: only the owner may change a world''s slug or visibility' THEN 'deny'
    WHEN outcome = 'PT409: the default world stays public' THEN 'deny'
    ELSE outcome END
$$;

SELECT tests.run_cells();

SELECT is(tests.verdict(kind, outcome), expected,
          format('%s: %s %s of world %s', role, op, relation, world))
  FROM tests.cells ORDER BY id;

-- Around the matrix ==============================================================================

-- An editor PATCHes name and description, not slug or visibility: 403 from app.worlds_edit_rules.
SELECT tests.authenticate_as(tests.id_of('editor'));
SELECT tests.api_throws_ok(format($$UPDATE app.worlds SET slug = 'mine' WHERE id = %L$$, (SELECT id FROM tests.w WHERE name = 'public')),
  'PT403', 'only the owner may change a world''s slug or visibility', 'an editor''s PATCH of the slug answers 403');
SELECT tests.api_throws_ok(format($$UPDATE app.worlds SET visibility = 'private', name = 'Mine' WHERE id = %L$$,
                                  (SELECT id FROM tests.w WHERE name = 'public')),
  'PT403', 'only the owner may change a world''s slug or visibility', 'an editor''s PATCH of name and visibility together answers 403');
SELECT is(tests.row_count(format($$UPDATE app.worlds SET name = 'Mine', description = 'Ours' WHERE id = %L$$,
                                 (SELECT id FROM tests.w WHERE name = 'public'))), 1::bigint,
  'an editor PATCHes the name and the description together');

-- A forged world_id does not place a building or spawn point: the trigger takes the room's.
SELECT throws_ok(format($$INSERT INTO api.buildings (room_id, world_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                          VALUES (%L, %L, 'forged', 'Forged', 'meeting', 1, 1, 2, 2, 1, 2, 'forged')$$,
                        (SELECT room FROM tests.w WHERE name = 'elsewhere'), (SELECT id FROM tests.w WHERE name = 'public')),
  '42501', 'new row violates row-level security policy for table "buildings"',
  'an editor cannot put a building into another world''s room by naming their own world');
SELECT throws_ok(format($$INSERT INTO app.spawn_points (room_id, world_id, slug, x, y, type) VALUES (%L, %L, 'forged', 1, 1, 'player')$$,
                        (SELECT room FROM tests.w WHERE name = 'elsewhere'), (SELECT id FROM tests.w WHERE name = 'public')),
  '42501', 'new row violates row-level security policy for table "spawn_points"',
  'an editor cannot put a spawn point into another world''s room by naming their own world');
SELECT throws_ok(format($$INSERT INTO app.spawn_points (room_id, world_id, slug, x, y, type) VALUES (%L, %L, 'forged', 1, 1, 'player')$$,
                        (SELECT room FROM tests.w WHERE name = 'retired'), (SELECT id FROM tests.w WHERE name = 'public')),
  '42501', 'new row violates row-level security policy for table "spawn_points"',
  'an editor cannot put a spawn point into a room they cannot even read by naming their own world');
SELECT lives_ok(format($$INSERT INTO api.buildings (room_id, world_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                         VALUES (%L, %L, 'forged', 'Forged', 'meeting', 1, 1, 2, 2, 1, 2, 'forged')$$,
                       (SELECT room FROM tests.w WHERE name = 'public'), (SELECT id FROM tests.w WHERE name = 'elsewhere')),
  'an editor''s building in their own room with another world''s id is accepted ...');
SELECT is(tests.row_count(format($$UPDATE app.buildings SET world_id = %L WHERE slug = 'forged'$$,
                                 (SELECT id FROM tests.w WHERE name = 'elsewhere'))), 1::bigint,
  '... and so is an UPDATE of its world_id ...');
SELECT results_eq($$SELECT world_id FROM api.buildings WHERE slug = 'forged'$$,
  format('SELECT %L::uuid', (SELECT id FROM tests.w WHERE name = 'public')),
  '... but the building stays in its room''s world');
SELECT throws_ok(format($$UPDATE app.buildings SET room_id = %L WHERE slug = 'forged'$$, (SELECT room FROM tests.w WHERE name = 'elsewhere')),
  '42501', 'new row violates row-level security policy for table "buildings"',
  'an editor cannot move their building into another world''s room');
SELECT throws_ok(format($$UPDATE api.spawn_points SET room_id = %L WHERE id = %L$$,
                        (SELECT room FROM tests.w WHERE name = 'elsewhere'), (SELECT spawn FROM tests.w WHERE name = 'public')),
  '42501', 'new row violates row-level security policy for table "spawn_points"',
  'an editor cannot move their spawn point into another world''s room');

-- Nobody moves a room to another world, not even between two worlds they edit.
SELECT throws_ok(format('UPDATE api.rooms SET world_id = %L WHERE id = %L',
                        (SELECT id FROM tests.w WHERE name = 'public'), (SELECT annex FROM tests.w WHERE name = 'private')),
  '23514', 'a room cannot move to another world', 'an editor of two worlds cannot move a room from one to the other');
SELECT is(tests.row_count(format('UPDATE app.rooms SET world_id = %L WHERE id = %L',
                                 (SELECT id FROM tests.w WHERE name = 'public'), (SELECT annex FROM tests.w WHERE name = 'elsewhere'))),
  0::bigint, 'an editor cannot pull another world''s room into their own');
SELECT tests.authenticate_service('content_admin');
SELECT throws_ok(format('UPDATE api.rooms SET world_id = %L WHERE id = %L',
                        (SELECT id FROM tests.w WHERE name = 'retired'), (SELECT annex FROM tests.w WHERE name = 'ark')),
  '23514', 'a room cannot move to another world', 'content_admin cannot move a room between installation worlds');

-- A portal leads to a room of its own world only.
SELECT tests.authenticate_as(tests.id_of('editor'));
SELECT throws_ok(format($$INSERT INTO api.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
                          VALUES (%L, 'gate', 'Gate', 'portal', 1, 1, 1, 1, 1, 1, %L)$$,
                        (SELECT room FROM tests.w WHERE name = 'public'), (SELECT room FROM tests.w WHERE name = 'private')),
  '23503', NULL, 'a portal cannot lead into another world the editor also edits');
SELECT throws_ok(format($$INSERT INTO api.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
                          VALUES (%L, 'gate', 'Gate', 'portal', 1, 1, 1, 1, 1, 1, %L)$$,
                        (SELECT room FROM tests.w WHERE name = 'public'), (SELECT room FROM tests.w WHERE name = 'retired')),
  '23503', NULL, 'a portal cannot lead into a world the editor cannot read');
SELECT throws_ok(format($$UPDATE api.buildings SET type = 'portal', jitsi_room = NULL, target_room_id = %L WHERE id = %L$$,
                        (SELECT room FROM tests.w WHERE name = 'ark'), (SELECT building FROM tests.w WHERE name = 'public')),
  '23503', NULL, 'a building cannot be turned into a portal to another world');
SELECT lives_ok(format($$INSERT INTO api.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
                         VALUES (%L, 'gate', 'Gate', 'portal', 1, 1, 1, 1, 1, 1, %L)$$,
                       (SELECT room FROM tests.w WHERE name = 'public'), (SELECT annex FROM tests.w WHERE name = 'public')),
  'a portal leads to another room of the same world');

-- Upserts: ON CONFLICT does not reach a row of a world one cannot edit.
SELECT throws_ok(format($$INSERT INTO app.rooms (id, world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                          VALUES (%L, %L, 'upsert', 'Upsert', 10, 10, 1, 1) ON CONFLICT (id) DO UPDATE SET name = 'Pwned'$$,
                        (SELECT room FROM tests.w WHERE name = 'elsewhere'), (SELECT id FROM tests.w WHERE name = 'public')),
  '42501', NULL, 'an upsert on the id of another world''s room is refused');
SELECT throws_ok(format($$INSERT INTO api.rooms (id, world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                          VALUES (%L, %L, 'upsert', 'Upsert', 10, 10, 1, 1) ON CONFLICT (id) DO UPDATE SET name = 'Pwned'$$,
                        (SELECT room FROM tests.w WHERE name = 'retired'), (SELECT id FROM tests.w WHERE name = 'public')),
  '42501', NULL, 'an upsert through api.rooms on the id of an unreadable world''s room is refused');
SELECT throws_ok(format($$INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                          VALUES (%L, 'rls-room', 'Upsert', 10, 10, 1, 1) ON CONFLICT (world_id, slug) DO UPDATE SET name = 'Pwned'$$,
                        (SELECT id FROM tests.w WHERE name = 'elsewhere')),
  '42501', 'new row violates row-level security policy for table "rooms"',
  'an upsert on another world''s room slug is refused');
SELECT throws_ok(format($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                          VALUES (%L, 'rls-hall', 'Pwned', 'meeting', 1, 1, 2, 2, 1, 2, 'pwned')
                          ON CONFLICT (room_id, slug) DO UPDATE SET jitsi_room = 'pwned'$$,
                        (SELECT room FROM tests.w WHERE name = 'elsewhere')),
  '42501', 'new row violates row-level security policy for table "buildings"',
  'an upsert on another world''s building is refused');
SELECT is(tests.row_count(format($$INSERT INTO app.rooms (id, world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                                   VALUES (%L, %L, 'upsert', 'Upsert', 10, 10, 1, 1) ON CONFLICT (id) DO NOTHING$$,
                                 (SELECT room FROM tests.w WHERE name = 'retired'), (SELECT id FROM tests.w WHERE name = 'public'))),
  0::bigint, 'an ON CONFLICT DO NOTHING on another world''s room id writes nothing');

-- UPDATE ... FROM, DELETE ... USING and RETURNING read no other world's rows.
SELECT is(tests.row_count(format($$UPDATE app.rooms r SET name = r.name FROM app.rooms p
                                    WHERE r.id = %L AND p.world_id = %L RETURNING p.id, p.name$$,
                                 (SELECT room FROM tests.w WHERE name = 'public'), (SELECT id FROM tests.w WHERE name = 'retired'))),
  0::bigint, 'UPDATE ... FROM joins no room of a world the editor cannot read');
SELECT is(tests.row_count(format($$UPDATE app.rooms r SET name = r.name FROM app.world_members m
                                    WHERE r.id = %L AND m.world_id = %L RETURNING m.user_id$$,
                                 (SELECT room FROM tests.w WHERE name = 'public'), (SELECT id FROM tests.w WHERE name = 'elsewhere'))),
  0::bigint, 'UPDATE ... FROM reads no membership of a world the editor is not in');
SELECT throws_ok(format($$UPDATE app.rooms r SET name = r.name FROM app.world_invitations i
                          WHERE r.id = %L AND i.world_id = r.world_id RETURNING i.token_hash$$,
                        (SELECT room FROM tests.w WHERE name = 'public')),
  '42501', 'permission denied for table world_invitations', 'RETURNING cannot read an invitation''s token hash');
SELECT tests.authenticate_as(tests.id_of('outsider'));
SELECT is(tests.row_count(format($$DELETE FROM app.buildings b USING app.rooms r WHERE b.room_id = r.id AND r.world_id = %L$$,
                                 (SELECT id FROM tests.w WHERE name = 'private'))),
  0::bigint, 'DELETE ... USING reaches no building of a private world');
SELECT is(tests.row_count(format($$UPDATE api.rooms SET name = name WHERE world_id = %L RETURNING *$$,
                                 (SELECT id FROM tests.w WHERE name = 'private'))),
  0::bigint, 'an outsider''s UPDATE ... RETURNING of a private world''s rooms returns nothing');

-- The invitations: the outsider does not see the expired invitation made out to their address, an
-- editor does.
SELECT is((SELECT count(*) FROM app.world_invitations), 0::bigint, 'an outsider sees no invitation, not even their own');
SELECT tests.authenticate_as(tests.id_of('editor'));
SELECT is((SELECT count(*) FROM app.world_invitations WHERE email = 'outsider@example.org' AND expires_at < now()), 1::bigint,
  'an editor sees the world''s expired invitation');

-- A member who has just left (their row deleted, as leave_world does) reads nothing of the private
-- world any more, in the very next statement.
SELECT tests.as_owner();
DELETE FROM app.world_members WHERE user_id = tests.id_of('member') AND world_id = (SELECT id FROM tests.w WHERE name = 'private');
SELECT tests.authenticate_as(tests.id_of('member'));
SELECT is((SELECT count(*) FROM app.world_members WHERE world_id = (SELECT id FROM tests.w WHERE name = 'private')), 0::bigint,
  'a member who left reads no member of that world');
SELECT is((SELECT count(*) FROM api.rooms WHERE world_id = (SELECT id FROM tests.w WHERE name = 'private')), 0::bigint,
  'a member who left reads no room of that private world');
SELECT is((SELECT count(*) FROM api.presence WHERE world_id = (SELECT id FROM tests.w WHERE name = 'private')), 0::bigint,
  'a member who left sees nobody in that private world');
SELECT is((SELECT count(*) FROM app.world_members WHERE world_id = (SELECT id FROM tests.w WHERE name = 'unlisted')), 4::bigint,
  'a member who left one world still reads the members of another');

-- An editor row in an installation world (no API makes one) does not make a player an editor of it:
-- content_admin keeps it.
SELECT tests.as_owner();
INSERT INTO app.world_members (world_id, user_id, role)
SELECT id, tests.id_of('outsider'), 'editor' FROM tests.w WHERE name = 'ark';
SELECT tests.authenticate_as(tests.id_of('outsider'));
SELECT throws_ok(format($$INSERT INTO api.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                          VALUES (%L, 'mine', 'Mine', 10, 10, 1, 1)$$, (SELECT id FROM tests.w WHERE name = 'ark')),
  '42501', 'new row violates row-level security policy for table "rooms"',
  'an editor row in the ark world does not let a player add a room to it');
SELECT is(tests.row_count(format($$UPDATE app.worlds SET slug = 'mine', visibility = 'private' WHERE id = %L$$,
                                 (SELECT id FROM tests.w WHERE name = 'ark'))), 0::bigint,
  'an editor row in the ark world does not let a player change its slug or visibility');
SELECT is(tests.row_count(format($$DELETE FROM api.buildings WHERE world_id = %L$$, (SELECT id FROM tests.w WHERE name = 'ark'))),
  0::bigint, 'an editor row in the ark world does not let a player delete its buildings');
SELECT tests.as_owner();
DELETE FROM app.world_members WHERE user_id = tests.id_of('outsider');

-- app.world_by_slug (get_world, enter_room and the socket's join resolve a slug through it) and
-- app.world_may_enter, for every player and for no player (NULL: web_anon), in every world. One letter
-- per world in the order ark, private, unlisted, public, archived, elsewhere, retired: S the slug
-- resolves, N it does not; Y may enter, N may not.
SELECT tests.as_owner();
CREATE TABLE tests.slug_access (role text PRIMARY KEY, by_slug text, may_enter text);
INSERT INTO tests.slug_access VALUES
  --  role            by_slug    may_enter
    ('owner',         'SSSSSSN', 'YYYYNYN'),
    ('editor',        'SSSSNSN', 'YYYYNYN'),
    ('member',        'SNSSNSN', 'YNYYNYN'),  -- who has left the private world (above)
    ('outsider',      'SNSSNSN', 'YNYYNYN'),
    ('visitor',       'SNSSNSN', 'YNYYNYN'),
    ('banned',        'NNNNNNN', 'NNNNNNN'),
    ('expired',       'SNSSNSN', 'YNYYNYN'),
    ('bannededitor',  'SNNNNSN', 'YNNNNYN'),
    ('nobody',        'SNSSNSN', 'YNYYNYN');
SELECT is((app.world_by_slug(x.slug, tests.id_of(a.role))).id IS NOT NULL, substr(a.by_slug, w.ord, 1) = 'S',
          format('world_by_slug: %s %s world %s by its slug', a.role,
                 CASE substr(a.by_slug, w.ord, 1) WHEN 'S' THEN 'finds' ELSE 'does not find' END, w.name))
  FROM tests.slug_access a CROSS JOIN tests.w w JOIN app.worlds x ON x.id = w.id
 ORDER BY a.role, w.ord;
SELECT is(app.world_may_enter(x, tests.id_of(a.role)), substr(a.may_enter, w.ord, 1) = 'Y',
          format('world_may_enter: %s %s world %s', a.role,
                 CASE substr(a.may_enter, w.ord, 1) WHEN 'Y' THEN 'may enter' ELSE 'may not enter' END, w.name))
  FROM tests.slug_access a CROSS JOIN tests.w w JOIN app.worlds x ON x.id = w.id
 ORDER BY a.role, w.ord;
-- Asking by slug made a visitor of each non-member who found the unlisted world, and of nobody else.
SELECT results_eq($$SELECT a.name FROM app.world_visitors v JOIN tests.actors a ON a.id = v.user_id
                     WHERE v.world_id = (SELECT id FROM tests.w WHERE name = 'unlisted') ORDER BY a.name$$,
  ARRAY['banned', 'expired', 'outsider', 'visitor'],
  'world_by_slug recorded the outsider''s visit of the unlisted world (the others were there already)');
SELECT is((SELECT count(*) FROM app.world_visitors v JOIN tests.w w ON w.id = v.world_id WHERE w.name <> 'unlisted'
              AND v.user_id NOT IN (tests.id_of('visitor'))), 0::bigint,
  'world_by_slug records no visit of any other world');
SELECT tests.authenticate_as(tests.id_of('outsider'));
SELECT is((SELECT count(*) FROM api.rooms WHERE world_id = (SELECT id FROM tests.w WHERE name = 'unlisted')), 2::bigint,
  'the outsider who asked for the unlisted world by slug now reads its rooms');

-- The default world is a foreign key: renaming it carries the setting along, so a room posted without a
-- world still lands in it and no other world can take over the freed slug.
SELECT tests.authenticate_service('content_admin');
SELECT is(tests.row_count($$UPDATE app.worlds SET slug = 'ark-classic' WHERE slug = 'ark'$$), 1::bigint,
  'content_admin renames the default world');
SELECT lives_ok($$INSERT INTO api.rooms (slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                  VALUES ('after-rename', 'After', 10, 10, 1, 1)$$,
  'a room posted without a world after the rename is accepted ...');
SELECT results_eq($$SELECT w.slug::text FROM api.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE r.slug = 'after-rename'$$,
  ARRAY['ark-classic'], '... and lands in the renamed default world');
SELECT tests.as_owner();
SELECT results_eq('SELECT default_world_slug::text FROM app.world_settings', ARRAY['ark-classic'],
  'the setting follows the default world''s new slug');
SELECT throws_ok($$DELETE FROM app.worlds WHERE slug = 'ark-classic'$$, '23503', NULL, 'the default world cannot be deleted');

-- The plan: the predicate is computed once (an InitPlan) and compared with world_id through an index,
-- never a function call per row. 1,000 private worlds of five rooms, 50 of them the caller's.
SELECT tests.create_user('landlord');
SELECT tests.create_user('planner');
WITH new AS (
  INSERT INTO app.worlds (slug, name, owner_id, visibility)
  SELECT format('bulk-%s', i), format('Bulk %s', i), tests.id_of('landlord'), 'private' FROM generate_series(1, 1000) AS i
  RETURNING id, slug)
INSERT INTO app.world_members (world_id, user_id, role)
SELECT id, tests.id_of('landlord'), 'owner' FROM new
UNION ALL
SELECT id, tests.id_of('planner'), 'member' FROM new WHERE split_part(slug, '-', 2)::integer % 20 = 0;
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
SELECT w.id, format('bulk-room-%s', i), 'Room', 10, 10, 1, 1 FROM app.worlds w CROSS JOIN generate_series(1, 5) AS i
 WHERE w.slug LIKE 'bulk-%';
-- 200 players present, one in every 25th bulk room.
WITH crowd AS (SELECT tests.create_user(format('crowd-%s', i)) AS u, i FROM generate_series(1, 200) AS i),
     rs AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM app.rooms WHERE slug LIKE 'bulk-room-%')
INSERT INTO app.player_presence (user_id, room_id, x, y)
SELECT crowd.u, rs.id, 1, 1 FROM crowd JOIN rs ON rs.n = crowd.i * 25;
ANALYZE app.worlds, app.world_members, app.rooms, app.player_presence, app.users;

-- The plan of a query as the current role, as JSON.
CREATE FUNCTION tests.plan_of(query text) RETURNS jsonb
  LANGUAGE plpgsql AS $$
DECLARE
  p jsonb;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON, VERBOSE) ' || query INTO p;
  RETURN p;
END
$$;
-- Every node of a plan.
CREATE FUNCTION tests.plan_nodes(p jsonb) RETURNS SETOF jsonb
  LANGUAGE sql IMMUTABLE AS $$ SELECT jsonb_path_query(p, 'strict $.**') n $$;
GRANT EXECUTE ON FUNCTION tests.plan_of(text), tests.plan_nodes(jsonb) TO player;

SELECT tests.authenticate_as(tests.id_of('planner'));
CREATE TEMPORARY TABLE plans ON COMMIT DROP AS
SELECT q AS query, tests.plan_of(q) AS p FROM (VALUES ('SELECT * FROM api.rooms'), ('SELECT * FROM api.presence')) AS v(q);
SELECT is((SELECT count(*) FROM api.rooms WHERE world_id IN (SELECT world_id FROM app.world_members
                                                               WHERE user_id = tests.id_of('planner'))), 250::bigint,
  'the planner reads the 250 rooms of their 50 worlds');
SELECT tests.as_owner();

SELECT is((SELECT count(*) FROM plans, LATERAL tests.plan_nodes(p) n
            WHERE jsonb_typeof(n) = 'object' AND n ? 'Node Type' AND n::text LIKE '%readable_world_ids%'
              AND NOT EXISTS (SELECT FROM jsonb_array_elements(n -> 'Plans') c WHERE c::text LIKE '%readable_world_ids%')
              AND n ->> 'Parent Relationship' = 'InitPlan' AND plans.query = 'SELECT * FROM api.rooms'), 1::bigint,
  'GET /rooms calls app.readable_world_ids in one InitPlan');
SELECT is((SELECT count(*) FROM plans, LATERAL regexp_matches(p::text, 'readable_world_ids', 'g')
            WHERE plans.query = 'SELECT * FROM api.rooms'), 1::bigint,
  'GET /rooms calls app.readable_world_ids nowhere else (no call per row)');
SELECT ok((SELECT bool_or(n ->> 'Node Type' IN ('Index Scan', 'Index Only Scan', 'Bitmap Index Scan')
                          AND n ->> 'Index Cond' ~ 'world_id = ANY \(\(?\$\d+')
             FROM plans, LATERAL tests.plan_nodes(p) n
            WHERE jsonb_typeof(n) = 'object' AND n ? 'Node Type' AND plans.query = 'SELECT * FROM api.rooms'),
  'GET /rooms finds the rooms through an index on world_id = ANY ($n)');
SELECT is((SELECT count(*) FROM plans, LATERAL regexp_matches(p::text, 'readable_world_ids', 'g')
            WHERE plans.query = 'SELECT * FROM api.presence'), 1::bigint,
  'GET /presence calls app.readable_world_ids once');
SELECT is((SELECT count(*) FROM plans, LATERAL tests.plan_nodes(p) n
            WHERE jsonb_typeof(n) = 'object' AND n ->> 'Parent Relationship' = 'InitPlan' AND n::text LIKE '%readable_world_ids%'
              AND NOT EXISTS (SELECT FROM jsonb_array_elements(n -> 'Plans') c WHERE c::text LIKE '%readable_world_ids%')
              AND plans.query = 'SELECT * FROM api.presence'), 1::bigint,
  'GET /presence calls it in an InitPlan');

-- ANALYZE writes each table's row count in place, and a ROLLBACK does not take that back: without the
-- bulk rows, counted again, the tests that run after this one would be planned for 5,000 rooms.
DELETE FROM app.player_presence WHERE user_id IN (SELECT id FROM tests.actors WHERE name LIKE 'crowd-%');
DELETE FROM app.worlds WHERE slug LIKE 'bulk-%';
DELETE FROM app.users WHERE id IN (SELECT id FROM tests.actors WHERE name LIKE 'crowd-%' OR name IN ('landlord', 'planner'));
ANALYZE app.worlds, app.world_members, app.rooms, app.player_presence, app.users;
SELECT cmp_ok((SELECT reltuples FROM pg_class WHERE oid = 'app.rooms'::regclass), '<', 1000::real,
  'the row count ANALYZE leaves behind for app.rooms is that of the rooms left');

SELECT * FROM finish();
ROLLBACK;
