-- Worlds under review (issue 11): what a hostile client, a careless editor and a stale socket found.
--   * a player who left the room over REST (offline in SQL) while their socket stays in it is still
--     taken out, and announced, by a ban, a removal, a switch to private, an archive and a rename;
--   * an editor cannot lift the owner's ban in two steps: banning the player again (shorter, or with
--     the editor's name on it) and then unbanning them;
--   * a ban reason refuses bidi controls, as its hint says, in api.ban and in the table;
--   * a REST leave that commits while a ban's eviction waits for it is announced all the same;
--   * a deleted room announces its players, present or offline, as removed (reason deleted).
BEGIN;
\ir helpers.psql

SELECT plan(20);

-- 0. A leave that commits while a ban evicts, over real connections ===============================
-- The REST leave holds the presence row; the ban's eviction (at its commit) waits for it, and then sees
-- an offline player, whose socket may still be in the room: it must be announced all the same. The
-- connections commit for real; their rows are deleted again below, before this test writes anything.
CREATE TABLE tests.v (name text PRIMARY KEY, value text);
CREATE FUNCTION tests.v(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM tests.v x WHERE x.name = v.name $$;
SELECT tests.use_dblink();
SELECT tests.remote_connect(c) FROM unnest(ARRAY['setup', 'first', 'second', 'listen']) c;
SELECT tests.remote_exec('setup', $$DELETE FROM app.worlds WHERE slug = 'tap18-race'$$);  -- an aborted run's
SELECT tests.remote_exec('setup', $$DELETE FROM app.users WHERE display_name LIKE 'Tap18 %'$$);
SELECT tests.remember(n, tests.remote_value('setup', format(
  $$INSERT INTO app.users (display_name, avatar_sprite, email, is_anonymous) VALUES ('Tap18 %s', 'brendan', 'tap18-%s@example.org', false) RETURNING id$$,
  n, lower(n)))::uuid)
  FROM unnest(ARRAY['RaceOwner', 'RaceSpy']) n;
INSERT INTO tests.v VALUES ('first_pid', tests.remote_value('first', 'SELECT pg_backend_pid()')),
                           ('second_pid', tests.remote_value('second', 'SELECT pg_backend_pid()'));
SELECT tests.remote_begin('setup', 'player', tests.id_of('RaceOwner'));
SELECT tests.remote_value('setup', $$SELECT api.create_world('tap18-race', 'Race', 'public')$$);
SELECT tests.remote_exec('setup', 'COMMIT');
SELECT tests.remote_begin('setup', 'player', tests.id_of('RaceSpy'));
SELECT tests.remote_value('setup', $$SELECT api.enter_room('lobby', 'tap18-race')$$);
SELECT tests.remote_exec('setup', 'COMMIT');
SELECT tests.remote_exec('listen', 'LISTEN presence');

SELECT tests.remote_begin('first', 'player', tests.id_of('RaceSpy'));
SELECT tests.remote_value('first', $$SELECT api.leave_room()$$);
SELECT tests.remote_begin('second', 'player', tests.id_of('RaceOwner'));
SELECT tests.remote_value('second', format($$SELECT api.ban('tap18-race', %L, 'race')$$, tests.id_of('RaceSpy')));
SELECT tests.dblink_send_query('second', 'COMMIT');
SELECT is(tests.blocked_by(tests.v('second_pid')::integer), ARRAY[tests.v('first_pid')::integer],
  'the ban''s eviction, at its commit, waits for the REST leave that holds the presence row');
SELECT tests.remote_exec('first', 'COMMIT');
SELECT count(*) FROM tests.dblink_get_result('second', false) AS t(v text);
SELECT is((SELECT jsonb_agg(f) FROM jsonb_array_elements(tests.remote_notifications('listen', 2)) f WHERE f ->> 'type' = 'removed'),
  jsonb_build_array(jsonb_build_object('type', 'removed', 'world', 'tap18-race', 'room', 'lobby',
                                       'user_id', tests.id_of('RaceSpy'), 'reason', 'banned')),
  'the player who left meanwhile is announced as removed all the same');
SELECT is(tests.remote_value('setup', format($$SELECT w.slug || '/' || r.slug || ' ' || p.status FROM app.player_presence p
                                               JOIN app.rooms r ON r.id = p.room_id JOIN app.worlds w ON w.id = r.world_id
                                              WHERE p.user_id = %L$$, tests.id_of('RaceSpy'))),
  'ark/town offline', 'and their presence has left the world');
SELECT tests.remote_exec('setup', $$DELETE FROM app.worlds WHERE slug = 'tap18-race'$$);
SELECT tests.remote_exec('setup', $$DELETE FROM app.users WHERE display_name LIKE 'Tap18 %'$$);
SELECT tests.remote_disconnect(c) FROM unnest(ARRAY['setup', 'first', 'second', 'listen']) c;

CREATE TABLE tests.frames (n bigserial PRIMARY KEY, frame jsonb NOT NULL);
CREATE OR REPLACE FUNCTION app.presence_notify(frame jsonb) RETURNS void
  LANGUAGE sql SET search_path = '' AS $$ INSERT INTO tests.frames (frame) VALUES (frame) $$;
CREATE FUNCTION tests.take_frames(kind text DEFAULT NULL) RETURNS jsonb LANGUAGE sql AS $$
  WITH taken AS (DELETE FROM tests.frames RETURNING n, frame)
  SELECT coalesce(jsonb_agg(frame ORDER BY n) FILTER (WHERE kind IS NULL OR frame ->> 'type' = kind), '[]') FROM taken
$$;
CREATE FUNCTION tests.commit_point() RETURNS void LANGUAGE sql AS $$
  SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED;
$$;
CREATE FUNCTION tests.place(who text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER AS $$
  SELECT w.slug || '/' || r.slug || ' ' || p.status
    FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id JOIN app.worlds w ON w.id = r.world_id
   WHERE p.user_id = tests.id_of(who)
$$;
-- Joins world over REST, then leaves over REST: offline in the world's lobby, as a socket that joined
-- and then called /rpc/leave_room leaves its player.
CREATE FUNCTION tests.listen_silently(who text, world text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tests.authenticate_as(tests.id_of(who));
  PERFORM api.enter_room('lobby', world);
  PERFORM api.leave_room();
  PERFORM tests.as_owner();
  PERFORM tests.take_frames();
END $$;
CREATE FUNCTION tests.admit(world text, who text, role text DEFAULT 'member') RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tests.authenticate_as(tests.id_of('Olga'));
  INSERT INTO tests.v VALUES (world || '-' || who, api.invite(world, role) ->> 'token')
    ON CONFLICT (name) DO UPDATE SET value = excluded.value;
  PERFORM tests.authenticate_as(tests.id_of(who));
  PERFORM api.accept_invitation(tests.v(world || '-' || who));
END $$;
GRANT SELECT, INSERT, UPDATE ON tests.v TO player;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO player;

SELECT tests.create_user(n) FROM unnest(ARRAY['Olga', 'Eve', 'Spy', 'Sam', 'Una', 'Ann', 'Bo']) n;
UPDATE app.users SET is_anonymous = false, email = lower(display_name) || '@example.org' WHERE display_name = 'Olga';
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.create_world('rv-pub', 'Review public', 'public');
SELECT api.create_world('rv-priv', 'Review private', 'private');
SELECT api.create_world('rv-unl', 'Review unlisted', 'unlisted');
SELECT api.create_world('rv-arch', 'Review archive', 'private');
SELECT tests.admit('rv-pub', 'Eve', 'editor');
SELECT tests.admit('rv-priv', 'Sam');
SELECT tests.admit('rv-arch', 'Ann');

-- 1. Offline listeners are taken out =============================================================
SELECT tests.listen_silently('Spy', 'rv-pub');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.ban('rv-pub', tests.id_of('Spy'), 'listening in');
SELECT tests.as_owner();
SELECT tests.commit_point();
SELECT is(tests.take_frames('removed'), jsonb_build_array(jsonb_build_object(
    'type', 'removed', 'world', 'rv-pub', 'room', 'lobby', 'user_id', tests.id_of('Spy'), 'reason', 'banned')),
  'a ban announces removed for a player who is offline in the world''s room (their socket may still be in it)');
SELECT is(tests.place('Spy'), 'ark/town offline', 'and their presence leaves the world');

SELECT tests.listen_silently('Sam', 'rv-priv');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.remove_member('rv-priv', tests.id_of('Sam'));
SELECT tests.as_owner();
SELECT tests.commit_point();
SELECT is(tests.take_frames('removed'), jsonb_build_array(jsonb_build_object(
    'type', 'removed', 'world', 'rv-priv', 'room', 'lobby', 'user_id', tests.id_of('Sam'), 'reason', 'removed')),
  'a removal from a private world announces removed for an offline member too');

SELECT tests.listen_silently('Una', 'rv-unl');
UPDATE app.worlds SET visibility = 'private' WHERE slug = 'rv-unl';
SELECT tests.commit_point();
SELECT is(tests.take_frames('removed'), jsonb_build_array(jsonb_build_object(
    'type', 'removed', 'world', 'rv-unl', 'room', 'lobby', 'user_id', tests.id_of('Una'), 'reason', 'private')),
  'a switch to private announces removed for an offline visitor');

SELECT tests.listen_silently('Ann', 'rv-arch');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.archive_world('rv-arch');
SELECT tests.as_owner();
SELECT tests.commit_point();
SELECT is(tests.take_frames('removed'), jsonb_build_array(jsonb_build_object(
    'type', 'removed', 'world', 'rv-arch', 'room', 'lobby', 'user_id', tests.id_of('Ann'), 'reason', 'archived')),
  'an archive announces removed for an offline member');
SELECT is(app.world_evict((SELECT id FROM app.worlds WHERE slug = 'rv-arch'), NULL, 'archived'), 0,
  'evicting again finds nobody: the offline presence left the world');

-- A rename too, under the old slug: a socket left under it would hear whichever world takes it next.
SELECT tests.listen_silently('Eve', 'rv-pub');
UPDATE app.worlds SET slug = 'rv-pub-2' WHERE slug = 'rv-pub';
SELECT is(tests.take_frames('removed'), jsonb_build_array(jsonb_build_object(
    'type', 'removed', 'world', 'rv-pub', 'room', 'lobby', 'user_id', tests.id_of('Eve'), 'reason', 'renamed')),
  'a rename announces removed under the old slug for an offline player too');
SELECT is(tests.place('Eve'), 'ark/town offline', 'and their presence leaves the world');
UPDATE app.worlds SET slug = 'rv-pub' WHERE slug = 'rv-pub-2';

-- A deleted room announces everyone whose presence is in it, present or offline, as removed (deleted).
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.create_world('rv-del', 'Review deletion', 'public');
SELECT tests.as_owner();
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
SELECT id, 'annex', 'Annex', 10, 10, 1, 1 FROM app.worlds WHERE slug = 'rv-del';
SELECT tests.authenticate_as(tests.id_of('Una'));
SELECT api.enter_room('annex', 'rv-del');
SELECT api.leave_room();
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.enter_room('annex', 'rv-del');
SELECT tests.as_owner();
SELECT tests.take_frames();
DELETE FROM app.rooms WHERE slug = 'annex' AND world_id = (SELECT id FROM app.worlds WHERE slug = 'rv-del');
SELECT is((SELECT jsonb_agg(f - 'user_id' ORDER BY f ->> 'user_id') FROM jsonb_array_elements(tests.take_frames('removed')) f),
  (SELECT jsonb_agg(jsonb_build_object('type', 'removed', 'world', 'rv-del', 'room', 'annex', 'reason', 'deleted')) FROM generate_series(1, 2)),
  'a deleted room announces removed, reason deleted, for its present and its offline player');

-- 2. An editor cannot lift the owner's ban in two steps ==========================================
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.ban('rv-pub', tests.id_of('Bo'), 'the owner''s decision');
SELECT tests.authenticate_as(tests.id_of('Eve'));
SELECT tests.api_throws_ok($$SELECT api.unban('rv-pub', tests.id_of('Bo'))$$, 'PT403',
  'only the owner may lift a ban the owner made', 'an editor cannot unban the owner''s ban');
SELECT tests.api_throws_ok($$SELECT api.ban('rv-pub', tests.id_of('Bo'), 'mine now', now() + interval '1 minute')$$, 'PT403',
  'only the owner may change a ban the owner made', 'nor shorten it by banning again');
SELECT tests.api_throws_ok($$SELECT api.ban('rv-pub', tests.id_of('Bo'), 'mine now')$$, 'PT403',
  'only the owner may change a ban the owner made', 'nor put their name on it by banning again');
SELECT tests.api_throws_ok($$SELECT api.unban('rv-pub', tests.id_of('Bo'))$$, 'PT403',
  'only the owner may lift a ban the owner made', 'so the owner''s ban still cannot be lifted by the editor');
SELECT tests.as_owner();
SELECT is((SELECT reason || ' by ' || (banned_by = tests.id_of('Olga'))::text || ', until ' || coalesce(until::text, 'never')
             FROM app.world_bans WHERE user_id = tests.id_of('Bo')),
  'the owner''s decision by true, until never', 'the owner''s ban stands as the owner made it');
-- The editor's own bans remain theirs to change.
SELECT tests.authenticate_as(tests.id_of('Eve'));
SELECT api.ban('rv-pub', tests.id_of('Una'), 'first thoughts');
SELECT is(api.ban('rv-pub', tests.id_of('Una'), 'second thoughts', now() + interval '1 hour') ->> 'reason', 'second thoughts',
  'an editor changes a ban they made themselves');

-- 3. Ban reasons without bidi controls ============================================================
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT throws_ok($$SELECT api.ban('rv-pub', tests.id_of('Una'), E'spam \u202egnp.exe')$$, '22023',
  'malformed ban reason', 'api.ban refuses a reason with a bidi override');
SELECT tests.as_owner();
SELECT throws_ok($$INSERT INTO app.world_bans (world_id, user_id, reason)
                   SELECT id, tests.id_of('Ann'), E'isolate \u2067x' FROM app.worlds WHERE slug = 'rv-pub'$$,
  '23514', NULL, 'the table refuses a ban reason with a bidi isolate, whoever writes it');

SELECT * FROM finish();
ROLLBACK;
