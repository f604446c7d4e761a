-- World management (issue 11): create_world, get_world, archive and restore, invitations, roles,
-- ownership, leaving, bans, and the views api.worlds, api.world_members, api.world_invitations and
-- api.world_bans. Each happy path and each rejection by its exact code; the races over real connections.
-- Which role may execute or read what is 02-rls-matrix.
BEGIN;
\ir helpers.psql

SELECT plan(146);

CREATE TABLE tests.v (name text PRIMARY KEY, value text);
CREATE FUNCTION tests.v(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM tests.v x WHERE x.name = v.name $$;
CREATE FUNCTION tests.world(slug text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$ SELECT id FROM app.worlds w WHERE w.slug = world.slug $$;
-- Refusals collected across callers, to compare their bodies.
CREATE TABLE tests.refusals (kind text, body jsonb);
GRANT SELECT, INSERT ON tests.v, tests.refusals TO web_anon, player;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO web_anon, player;

-- Races, through real connections ==================================================================
-- Each connection commits for real: its rows are created and deleted again here, before the test writes
-- anything itself (its uncommitted rows could block them).

-- as the owner
SELECT tests.use_dblink();
SELECT tests.remote_connect(c) FROM unnest(ARRAY['setup', 'first', 'second']) c;
SELECT tests.remote_exec('setup', $$DELETE FROM app.worlds WHERE slug = 'tap13-race'$$);  -- an aborted run's
SELECT tests.remote_exec('setup', $$DELETE FROM app.users WHERE display_name LIKE 'Tap13 %'$$);
SELECT tests.remember(n, tests.remote_value('setup', format(
  $$INSERT INTO app.users (display_name, avatar_sprite, email, is_anonymous) VALUES ('Tap13 %s', 'brendan', 'tap13-%s@example.org', false) RETURNING id$$,
  n, lower(n)))::uuid)
  FROM unnest(ARRAY['RaceOwner', 'RaceB', 'RaceC', 'RaceD', 'RaceE']) n;
INSERT INTO tests.v VALUES ('first_pid', tests.remote_value('first', 'SELECT pg_backend_pid()')),
                           ('second_pid', tests.remote_value('second', 'SELECT pg_backend_pid()'));

SELECT tests.remote_begin('setup', 'player', tests.id_of('RaceOwner'));
SELECT tests.remote_value('setup', $$SELECT api.create_world('tap13-race', 'Race', 'private')$$);
SELECT tests.remote_exec('setup', 'COMMIT');
SELECT tests.remote_exec('setup', format(
  $$INSERT INTO app.world_members (world_id, user_id, role) SELECT id, u, 'member' FROM app.worlds, unnest(ARRAY[%L, %L]::uuid[]) u WHERE slug = 'tap13-race'$$,
  tests.id_of('RaceB'), tests.id_of('RaceC')));

-- Two transfers by the owner at once, to B and to C: the second waits for the world row, then finds
-- that its caller no longer owns the world.
SELECT tests.remote_begin('first', 'player', tests.id_of('RaceOwner'));
SELECT tests.remote_value('first', format($$SELECT api.transfer_ownership('tap13-race', %L)$$, tests.id_of('RaceB')));
SELECT tests.remote_begin('second', 'player', tests.id_of('RaceOwner'));
SELECT tests.dblink_send_query('second', format($$SELECT api.transfer_ownership('tap13-race', %L)$$, tests.id_of('RaceC')));
SELECT is(tests.blocked_by(tests.v('second_pid')::integer), ARRAY[tests.v('first_pid')::integer],
  'a second transfer of the same world waits for the first one''s lock on the world row');
SELECT tests.remote_exec('first', 'COMMIT');
SET LOCAL client_min_messages = warning;  -- the remote error, read below, is not news
INSERT INTO tests.v VALUES ('second_transfer', coalesce((SELECT v FROM tests.dblink_get_result('second', false) AS t(v text) LIMIT 1), 'refused'));
INSERT INTO tests.v VALUES ('second_transfer_error', tests.dblink_error_message('second'));
SELECT count(*) FROM tests.dblink_get_result('second', false) AS t(v text);  -- the end of the results frees the connection
RESET client_min_messages;
SELECT tests.remote_exec('second', 'ROLLBACK');
SELECT is(tests.v('second_transfer'), 'refused', 'the waiting transfer is refused once the first has committed');
SELECT ok(tests.v('second_transfer_error') LIKE '%only the owner may transfer a world%',
  'the waiting transfer is refused because its caller no longer owns the world');
SELECT is(tests.remote_value('setup', $$SELECT string_agg(u.display_name || ':' || m.role, ',' ORDER BY u.display_name)
                                         FROM app.world_members m JOIN app.users u ON u.id = m.user_id
                                         JOIN app.worlds w ON w.id = m.world_id WHERE w.slug = 'tap13-race'$$),
  'Tap13 RaceB:owner,Tap13 RaceC:member,Tap13 RaceOwner:editor',
  'after two racing transfers exactly one owner remains (B), the old owner is an editor and C a member');
SELECT is(tests.remote_value('setup', $$SELECT owner_id FROM app.worlds WHERE slug = 'tap13-race'$$)::uuid, tests.id_of('RaceB'),
  'worlds.owner_id names the one owner');

-- Two players accept the same single-use token at once: exactly one becomes a member.
SELECT tests.remote_begin('setup', 'player', tests.id_of('RaceB'));
INSERT INTO tests.v VALUES ('race_token', tests.remote_value('setup', $$SELECT api.invite('tap13-race', 'member') ->> 'token'$$));
SELECT tests.remote_exec('setup', 'COMMIT');
SELECT tests.remote_begin('first', 'player', tests.id_of('RaceD'));
INSERT INTO tests.v VALUES ('accept_first', tests.remote_try('first', format($$SELECT api.accept_invitation(%L) ->> 'role'$$, tests.v('race_token'))));
SELECT tests.remote_begin('second', 'player', tests.id_of('RaceE'));
SELECT tests.dblink_send_query('second', format($$SELECT api.accept_invitation(%L) ->> 'role'$$, tests.v('race_token')));
SELECT is(tests.blocked_by(tests.v('second_pid')::integer), ARRAY[tests.v('first_pid')::integer],
  'a second acceptance of the token waits for the first one''s lock on the invitation');
SELECT tests.remote_exec('first', 'COMMIT');
SET LOCAL client_min_messages = warning;  -- the remote error, read below, is not news
INSERT INTO tests.v VALUES ('accept_second', coalesce((SELECT v FROM tests.dblink_get_result('second', false) AS t(v text) LIMIT 1), 'refused'));
INSERT INTO tests.v VALUES ('accept_second_error', tests.dblink_error_message('second'));
SELECT count(*) FROM tests.dblink_get_result('second', false) AS t(v text);
RESET client_min_messages;
SELECT tests.remote_exec('second', 'ROLLBACK');
SELECT is(tests.v('accept_first'), 'member', 'the first acceptance makes D a member');
SELECT ok(tests.v('accept_second') = 'refused' AND tests.v('accept_second_error') LIKE '%unknown invitation%',
  'the racing second acceptance of a single-use token is refused as an unknown invitation');
SELECT is(tests.remote_value('setup', format($$SELECT string_agg(u.display_name, ',' ORDER BY u.display_name) || ' uses=' ||
                                                (SELECT max(uses) FROM app.world_invitations i JOIN app.worlds w ON w.id = i.world_id WHERE w.slug = 'tap13-race')
                                              FROM app.world_members m JOIN app.users u ON u.id = m.user_id
                                              JOIN app.worlds w ON w.id = m.world_id WHERE w.slug = 'tap13-race' AND u.id IN (%L, %L)$$,
                                            tests.id_of('RaceD'), tests.id_of('RaceE'))),
  'Tap13 RaceD uses=1', 'one membership and one use: E did not get in');

SELECT tests.remote_exec('setup', $$DELETE FROM app.worlds WHERE slug = 'tap13-race'$$);
SELECT tests.remote_exec('setup', $$DELETE FROM app.users WHERE display_name LIKE 'Tap13 %'$$);
SELECT tests.remote_disconnect(c) FROM unnest(ARRAY['setup', 'first', 'second']) c;
SELECT is((SELECT count(*)::integer FROM app.users WHERE display_name LIKE 'Tap13 %'), 0, 'the race''s committed rows are gone again');

-- Actors ===========================================================================================
-- as the owner
SELECT tests.create_user(n) FROM unnest(ARRAY['Olga', 'Eddie', 'Mia', 'Ozzy', 'Anon', 'Bo']) n;
UPDATE app.users SET is_anonymous = false, email = lower(display_name) || '@example.org'
 WHERE id IN (tests.id_of('Olga'), tests.id_of('Eddie'), tests.id_of('Mia'), tests.id_of('Ozzy'), tests.id_of('Bo'));
UPDATE app.world_settings SET max_worlds_per_owner = 3;

-- create_world =====================================================================================
SELECT tests.authenticate_as(tests.id_of('Anon'));
SELECT tests.api_throws_ok($$SELECT api.create_world('tap-anon', 'Anon''s')$$, 'PT403', 'only registered players may create worlds',
  'an anonymous player may not create a world (403)');
SELECT is(tests.error_of($$SELECT api.create_world('tap-anon', 'Anon''s')$$) ->> 'hint',
  'Register first with /rpc/register; you keep your id and name.', 'the 403 tells an anonymous player to register');

SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.create_world('tap-private', 'Private', 'private', 'members only') - 'world_id',
  '{"slug": "tap-private", "main_room_slug": "lobby"}'::jsonb, 'create_world answers {world_id, slug, main_room_slug}');
INSERT INTO tests.v SELECT 'unlisted', api.create_world('tap-unlisted', 'Unlisted', 'unlisted') ->> 'world_id';
SELECT is(tests.v('unlisted'), tests.world('tap-unlisted')::text, 'create_world answers the new world''s id');
SELECT tests.api_throws_ok($$SELECT api.create_world('tap-private', 'Again')$$, 'PT409', 'this world slug is taken',
  'a taken slug is a 409');
SELECT tests.api_throws_ok($$SELECT api.create_world('ark', 'Again')$$, 'PT409', 'this world slug is taken',
  'the installation''s world''s slug is taken too');
SELECT lives_ok($$SELECT api.create_world('tap-public', 'Public')$$, 'visibility defaults to public');
SELECT tests.api_throws_ok($$SELECT api.create_world('Bad Slug', 'X')$$, '22023', 'malformed world slug', 'a malformed slug is a 400');
SELECT tests.api_throws_ok($$SELECT api.create_world(NULL, 'X')$$, '22023', 'malformed world slug', 'a missing slug is a 400');
SELECT tests.api_throws_ok($$SELECT api.create_world('tap-x', '   ')$$, '22023', 'malformed world name', 'a blank name is a 400');
SELECT tests.api_throws_ok($$SELECT api.create_world('tap-x', repeat('n', 65))$$, '22023', 'malformed world name', 'a 65-character name is a 400');
SELECT tests.api_throws_ok($$SELECT api.create_world('tap-x', 'X', 'secret')$$, '22023', 'unknown visibility', 'an unknown visibility is a 400');
SELECT tests.api_throws_ok($$SELECT api.create_world('tap-x', 'X', 'public', repeat('d', 501))$$, '22023', 'malformed world description',
  'a 501-character description is a 400');
SELECT tests.api_throws_ok($$SELECT api.create_world('tap-x', 'X', 'public', E'a\rb')$$, '22023', 'malformed world description',
  'a description with a carriage return is a 400');
SELECT tests.api_throws_ok($$SELECT api.create_world('tap-fourth', 'Fourth')$$, 'PT409', 'you own as many worlds as you may',
  'a fourth world beyond max_worlds_per_owner = 3 is a 409');

SELECT tests.as_owner();
SELECT results_eq($$SELECT r.slug::text, r.width_tiles, r.height_tiles, r.is_main, r.tilemap_key,
                           (SELECT count(*)::integer FROM app.buildings b WHERE b.room_id = r.id),
                           (SELECT count(*)::integer FROM app.spawn_points p WHERE p.room_id = r.id AND p.type = 'player')
                      FROM app.rooms r WHERE r.world_id = tests.world('tap-private')$$,
  $$VALUES ('lobby', 40, 30, true, NULL::text, 0, 1)$$,
  'the new world has one room, its main room lobby: 40x30, no map, no buildings, one player spawn point');
SELECT results_eq($$SELECT w.owner_id, m.user_id, m.role, w.visibility, w.description FROM app.worlds w JOIN app.world_members m ON m.world_id = w.id
                     WHERE w.slug = 'tap-private'$$,
  format($$VALUES (%L::uuid, %L::uuid, 'owner', 'private', 'members only')$$, tests.id_of('Olga'), tests.id_of('Olga')),
  'the caller owns the new world and is its one member, with role owner');
SELECT lives_ok('SET CONSTRAINTS ALL IMMEDIATE', 'the one-owner rule holds for the new worlds');
SET CONSTRAINTS ALL DEFERRED;

-- get_world and GET /worlds ========================================================================
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.get_world('tap-private') - 'id' - 'created_at' - 'owner_id',
  '{"slug": "tap-private", "name": "Private", "description": "members only", "visibility": "private", "archived_at": null,
    "my_role": "owner", "main_room_slug": "lobby", "rooms": ["lobby"]}'::jsonb,
  'get_world shows the owner their private world, their role and its rooms');

SELECT tests.authenticate_as(tests.id_of('Ozzy'));
SELECT tests.api_throws_ok($$SELECT api.get_world('tap-private')$$, 'PT404', 'unknown world', 'an outsider''s get_world of a private world is a 404');
INSERT INTO tests.refusals SELECT 'private', tests.error_of($$SELECT api.get_world('tap-private')$$);
INSERT INTO tests.refusals SELECT 'unknown', tests.error_of($$SELECT api.get_world('tap-nowhere')$$);
INSERT INTO tests.refusals SELECT 'malformed', tests.error_of($$SELECT api.get_world('No Such World')$$);
INSERT INTO tests.refusals SELECT 'null', tests.error_of($$SELECT api.get_world(NULL)$$);
SELECT is(api.get_world('tap-unlisted') ->> 'my_role', NULL, 'anyone signed in with the slug gets an unlisted world');
SELECT tests.as_owner();
SELECT is((SELECT count(*)::integer FROM app.world_visitors WHERE user_id = tests.id_of('Ozzy') AND world_id = tests.world('tap-unlisted')), 1,
  'asking for an unlisted world by slug makes the player its visitor');
SELECT tests.authenticate_as(tests.id_of('Ozzy'));
SELECT results_eq($$SELECT slug::text FROM api.worlds ORDER BY slug$$, ARRAY['ark', 'tap-public'],
  'GET /worlds lists public worlds only for an outsider: never the unlisted world they visited, nor the private one');
SELECT results_eq($$SELECT my_role FROM api.worlds WHERE slug = 'tap-public'$$, ARRAY[NULL::text], 'my_role is null for a non-member');

SELECT tests.clear_authentication();
SELECT is(api.get_world('tap-public') ->> 'slug', 'tap-public', 'web_anon gets a public world by slug');
SELECT is(api.get_world('tap-unlisted') ->> 'slug', 'tap-unlisted', 'web_anon gets an unlisted world by slug');
INSERT INTO tests.refusals SELECT 'anon-private', tests.error_of($$SELECT api.get_world('tap-private')$$);
SELECT results_eq($$SELECT slug::text FROM api.worlds ORDER BY slug$$, ARRAY['ark', 'tap-public'], 'GET /worlds for web_anon lists the public worlds');

SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT results_eq($$SELECT slug::text, my_role FROM api.worlds ORDER BY slug$$,
  $$VALUES ('ark', NULL::text), ('tap-private', 'owner'), ('tap-public', 'owner'), ('tap-unlisted', 'owner')$$,
  'GET /worlds lists the owner''s worlds of every visibility, with my_role');

-- invite and accept_invitation =====================================================================
SELECT tests.authenticate_as(tests.id_of('Olga'));
INSERT INTO tests.v SELECT 'editor_invite', api.invite('tap-private', 'editor')::text;
SELECT ok((tests.v('editor_invite')::jsonb ->> 'token') ~ '^[A-Za-z0-9_-]{43}$', 'the token is 32 random bytes, URL-safe base64 (43 characters)');
SELECT ok((tests.v('editor_invite')::jsonb ->> 'expires_at')::timestamptz = now() + interval '168 hours',
  'an invitation lasts 168 hours by default');
SELECT tests.as_owner();
SELECT is((SELECT token_hash FROM app.world_invitations WHERE id = (tests.v('editor_invite')::jsonb ->> 'invitation_id')::uuid),
  digest(tests.v('editor_invite')::jsonb ->> 'token', 'sha256'), 'the invitation stores the SHA-256 of its token');

-- The token in no column of any table, whatever its type (text, domains, json, arrays, bytea as text).
CREATE FUNCTION tests.columns_holding(needle text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  c record;
  hit boolean;
BEGIN
  FOR c IN SELECT n.nspname, t.relname, a.attname FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE t.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
              AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'tests', 'tap') AND n.nspname NOT LIKE 'pg_toast%' LOOP
    EXECUTE format('SELECT EXISTS (SELECT FROM %I.%I x WHERE strpos(x.%I::text, $1) > 0 OR strpos(encode(convert_to(x.%I::text, ''UTF8''), ''escape''), $1) > 0)',
                   c.nspname, c.relname, c.attname, c.attname) INTO hit USING needle;
    IF hit THEN
      RETURN NEXT format('%s.%s.%s', c.nspname, c.relname, c.attname);
    END IF;
  END LOOP;
END
$$;
SELECT is_empty(format('SELECT * FROM tests.columns_holding(%L)', tests.v('editor_invite')::jsonb ->> 'token'),
  'the token appears in no column of any table: only its hash is stored');
SELECT isnt_empty(format('SELECT * FROM tests.columns_holding(%L)', tests.v('editor_invite')::jsonb ->> 'invitation_id'),
  '(the search finds a value that is stored: the invitation id)');

SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT is(api.accept_invitation(tests.v('editor_invite')::jsonb ->> 'token'), '{"world_slug": "tap-private", "role": "editor"}'::jsonb,
  'accept_invitation makes the caller a member with the invitation''s role');
SELECT tests.api_throws_ok($$SELECT api.invite('tap-private', 'editor')$$, 'PT403', 'only the owner may invite editors',
  'an editor may not invite editors (403)');
INSERT INTO tests.v SELECT 'mia_invite', api.invite('tap-private', 'member', 24, 2, ' Mia@Example.org ')::text;
SELECT is(tests.v('mia_invite')::jsonb - 'invitation_id' - 'token' - 'expires_at',
  '{"role": "member", "max_uses": 2, "email": "mia@example.org"}'::jsonb, 'an editor invites members, here bound to an email (normalized)');
SELECT tests.api_throws_ok($$SELECT api.invite('tap-private', 'member', 0)$$, '22023', 'expires_in_hours is out of range', '0 hours is a 400');
SELECT tests.api_throws_ok($$SELECT api.invite('tap-private', 'member', 8761)$$, '22023', 'expires_in_hours is out of range', '8761 hours is a 400');
SELECT tests.api_throws_ok($$SELECT api.invite('tap-private', 'member', 1, 0)$$, '22023', 'max_uses is out of range', '0 uses is a 400');
SELECT tests.api_throws_ok($$SELECT api.invite('tap-private', 'member', 1, 1001)$$, '22023', 'max_uses is out of range', '1001 uses is a 400');
SELECT tests.api_throws_ok($$SELECT api.invite('tap-private', 'owner')$$, '22023', 'unknown invitation role', 'an owner invitation is a 400');
SELECT tests.api_throws_ok($$SELECT api.invite('tap-private', 'member', 1, 1, 'not-an-email')$$, '22023', 'malformed email address',
  'a malformed email is a 400');

SELECT tests.authenticate_as(tests.id_of('Ozzy'));
SELECT tests.api_throws_ok($$SELECT api.invite('tap-private', 'member')$$, 'PT404', 'unknown world', 'an outsider''s invite to a private world is a 404');
SELECT tests.api_throws_ok($$SELECT api.invite('tap-public', 'member')$$, 'PT403', 'only the owner or an editor may invite',
  'a non-member''s invite to a public world is a 403');
-- The wrong email, and a mistyped token: refused.
SELECT tests.api_throws_ok(format('SELECT api.accept_invitation(%L)', tests.v('mia_invite')::jsonb ->> 'token'), 'PT404', 'unknown invitation',
  'an invitation bound to another email is refused');
INSERT INTO tests.refusals SELECT 'token-wrong-email', tests.error_of(format('SELECT api.accept_invitation(%L)', tests.v('mia_invite')::jsonb ->> 'token'));
INSERT INTO tests.refusals SELECT 'token-unknown', tests.error_of(format('SELECT api.accept_invitation(%L)', repeat('A', 43)));
INSERT INTO tests.refusals SELECT 'token-malformed', tests.error_of($$SELECT api.accept_invitation('x')$$);
INSERT INTO tests.refusals SELECT 'token-null', tests.error_of($$SELECT api.accept_invitation(NULL)$$);
SELECT tests.authenticate_as(tests.id_of('Anon'));
INSERT INTO tests.refusals SELECT 'token-anonymous-for-email', tests.error_of(format('SELECT api.accept_invitation(%L)', tests.v('mia_invite')::jsonb ->> 'token'));

SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT is(api.accept_invitation(tests.v('mia_invite')::jsonb ->> 'token'), '{"world_slug": "tap-private", "role": "member"}'::jsonb,
  'the player with the invitation''s email accepts it');
SELECT is(api.accept_invitation(tests.v('mia_invite')::jsonb ->> 'token'), '{"world_slug": "tap-private", "role": "member"}'::jsonb,
  'accepting again as a member answers the same');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT results_eq($$SELECT uses FROM api.world_invitations WHERE id = (tests.v('mia_invite')::jsonb ->> 'invitation_id')::uuid$$, ARRAY[1],
  'the repeated acceptance spent no use');
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT tests.api_throws_ok($$SELECT api.invite('tap-private', 'member')$$, 'PT403', 'only the owner or an editor may invite', 'a member may not invite (403)');
SELECT results_eq($$SELECT slug::text, my_role FROM api.worlds WHERE slug LIKE 'tap-%' ORDER BY slug$$,
  $$VALUES ('tap-private', 'member'), ('tap-public', NULL::text)$$, 'GET /worlds lists a member''s private world, with my_role');
SELECT results_eq($$SELECT display_name::text, role FROM api.world_members WHERE world_id = tests.world('tap-private') ORDER BY role$$,
  $$VALUES ('Eddie', 'editor'), ('Mia', 'member'), ('Olga', 'owner')$$, 'GET /world_members shows a member who is in the world, with names');
SELECT is_empty($$SELECT * FROM api.world_invitations$$, 'a member sees no invitations');

-- Expired, revoked, used up, banned: the same refusal --------------------------------------------
SELECT tests.authenticate_as(tests.id_of('Olga'));
INSERT INTO tests.v SELECT 'expired', api.invite('tap-private', 'member')::text;
INSERT INTO tests.v SELECT 'revoked', api.invite('tap-private', 'member')::text;
INSERT INTO tests.v SELECT 'used', api.invite('tap-private', 'member')::text;
INSERT INTO tests.v SELECT 'banned', api.invite('tap-public', 'member', 1, 5)::text;
SELECT is(api.accept_invitation(tests.v('banned')::jsonb ->> 'token') ->> 'role', 'owner',
  'the owner accepting a member invitation stays owner: the role is never lowered');
SELECT tests.as_owner();
UPDATE app.world_invitations SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second'
 WHERE id = (tests.v('expired')::jsonb ->> 'invitation_id')::uuid;

SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT isnt(api.revoke_invitation((tests.v('revoked')::jsonb ->> 'invitation_id')::uuid) ->> 'revoked_at', NULL, 'an editor revokes an invitation');
SELECT ok((api.revoke_invitation((tests.v('revoked')::jsonb ->> 'invitation_id')::uuid) ->> 'revoked_at')::timestamptz = now(),
  'revoking again keeps the revocation');
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT tests.api_throws_ok(format('SELECT api.revoke_invitation(%L)', tests.v('used')::jsonb ->> 'invitation_id'), 'PT403',
  'only the owner or an editor may revoke an invitation', 'a member may not revoke (403)');
SELECT tests.authenticate_as(tests.id_of('Ozzy'));
SELECT tests.api_throws_ok(format('SELECT api.revoke_invitation(%L)', tests.v('used')::jsonb ->> 'invitation_id'), 'PT404',
  'unknown invitation', 'an outsider''s revocation of a private world''s invitation is a 404');
SELECT tests.api_throws_ok($$SELECT api.revoke_invitation('00000000-0000-4000-8000-00000000beef')$$, 'PT404',
  'unknown invitation', 'revoking an unknown invitation is a 404');

SELECT tests.authenticate_as(tests.id_of('Bo'));
SELECT is(api.accept_invitation(tests.v('used')::jsonb ->> 'token') ->> 'role', 'member', 'Bo uses up the single-use invitation');
SELECT tests.authenticate_as(tests.id_of('Ozzy'));
SELECT tests.api_throws_ok(format('SELECT api.accept_invitation(%L)', tests.v('expired')::jsonb ->> 'token'), 'PT404', 'unknown invitation',
  'an expired invitation is refused');
SELECT tests.api_throws_ok(format('SELECT api.accept_invitation(%L)', tests.v('revoked')::jsonb ->> 'token'), 'PT404', 'unknown invitation',
  'a revoked invitation is refused');
SELECT tests.api_throws_ok(format('SELECT api.accept_invitation(%L)', tests.v('used')::jsonb ->> 'token'), 'PT404', 'unknown invitation',
  'a used-up invitation is refused');
INSERT INTO tests.refusals SELECT 'token-expired', tests.error_of(format('SELECT api.accept_invitation(%L)', tests.v('expired')::jsonb ->> 'token'));
INSERT INTO tests.refusals SELECT 'token-revoked', tests.error_of(format('SELECT api.accept_invitation(%L)', tests.v('revoked')::jsonb ->> 'token'));
INSERT INTO tests.refusals SELECT 'token-used', tests.error_of(format('SELECT api.accept_invitation(%L)', tests.v('used')::jsonb ->> 'token'));
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT results_eq($$SELECT uses FROM api.world_invitations WHERE id = (tests.v('used')::jsonb ->> 'invitation_id')::uuid$$, ARRAY[1],
  'refused acceptances spend nothing');

-- set_member_role ====================================================================================
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.set_member_role('tap-private', tests.id_of('Mia'), 'editor') ->> 'role', 'editor', 'the owner makes a member an editor');
SELECT is(api.set_member_role('tap-private', tests.id_of('Mia'), 'member') ->> 'role', 'member', 'and a member again');
SELECT tests.api_throws_ok(format($$SELECT api.set_member_role('tap-private', %L, 'owner')$$, tests.id_of('Mia')), '22023', 'unknown member role',
  'set_member_role to owner is a 400');
SELECT tests.api_throws_ok(format($$SELECT api.set_member_role('tap-private', %L, 'member')$$, tests.id_of('Olga')), 'PT409',
  'the owner''s role changes only by a transfer', 'the owner cannot demote themself (409)');
SELECT tests.api_throws_ok(format($$SELECT api.set_member_role('tap-private', %L, 'member')$$, tests.id_of('Ozzy')), 'PT404',
  'unknown member', 'set_member_role of a non-member is a 404');
SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT tests.api_throws_ok(format($$SELECT api.set_member_role('tap-private', %L, 'editor')$$, tests.id_of('Mia')), 'PT403',
  'only the owner may change roles', 'an editor may not change roles (403)');

-- transfer_ownership ===============================================================================
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.transfer_ownership('tap-private', tests.id_of('Eddie')),
  jsonb_build_object('world_slug', 'tap-private', 'owner_id', tests.id_of('Eddie'), 'previous_owner_role', 'editor'),
  'the owner transfers the world to an editor');
SELECT results_eq($$SELECT display_name::text, role FROM api.world_members WHERE world_id = tests.world('tap-private') ORDER BY display_name$$,
  $$VALUES ('Bo', 'member'), ('Eddie', 'owner'), ('Mia', 'member'), ('Olga', 'editor')$$, 'the new owner is owner, the old one an editor');
SELECT lives_ok('SET CONSTRAINTS ALL IMMEDIATE', 'the one-owner rule holds after the transfer');
SET CONSTRAINTS ALL DEFERRED;
SELECT tests.api_throws_ok(format($$SELECT api.transfer_ownership('tap-private', %L)$$, tests.id_of('Olga')), 'PT403',
  'only the owner may transfer a world', 'the old owner may transfer no more (403)');
SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT tests.api_throws_ok(format($$SELECT api.transfer_ownership('tap-private', %L)$$, tests.id_of('Ozzy')), 'PT404',
  'unknown member', 'a transfer to a non-member is a 404');
SELECT tests.api_throws_ok(format($$SELECT api.transfer_ownership('tap-private', %L)$$, tests.id_of('Eddie')), 'PT409',
  'you already own this world', 'a transfer to oneself is a 409');
SELECT is(api.transfer_ownership('tap-private', tests.id_of('Olga')) ->> 'owner_id', tests.id_of('Olga')::text, 'and back to Olga');
SELECT tests.as_owner();
SELECT is((SELECT owner_id FROM app.worlds WHERE slug = 'tap-private'), tests.id_of('Olga'), 'worlds.owner_id follows the transfers');

-- remove_member and leave_world ====================================================================
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT lives_ok(format($$SELECT api.set_member_role('tap-private', %L, 'editor')$$, tests.id_of('Mia')), '(Mia becomes a second editor)');
SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT tests.api_throws_ok(format($$SELECT api.remove_member('tap-private', %L)$$, tests.id_of('Mia')), 'PT403',
  'you may not remove this member', 'an editor may not remove another editor (403)');
SELECT tests.api_throws_ok(format($$SELECT api.remove_member('tap-private', %L)$$, tests.id_of('Olga')), 'PT403',
  'you may not remove this member', 'an editor may not remove the owner (403)');
SELECT tests.api_throws_ok(format($$SELECT api.remove_member('tap-private', %L)$$, tests.id_of('Eddie')), '22023',
  'to leave a world, call leave_world', 'removing oneself is a 400');
SELECT tests.api_throws_ok(format($$SELECT api.remove_member('tap-private', %L)$$, tests.id_of('Ozzy')), 'PT404',
  'unknown member', 'removing a non-member is a 404');
SELECT is(api.remove_member('tap-private', tests.id_of('Bo')) ->> 'removed', 'true', 'an editor removes a member');
SELECT tests.authenticate_as(tests.id_of('Bo'));
SELECT tests.api_throws_ok($$SELECT api.get_world('tap-private')$$, 'PT404', 'unknown world', 'the removed member no longer sees the private world');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.remove_member('tap-private', tests.id_of('Mia')) ->> 'removed', 'true', 'the owner removes an editor');
SELECT tests.api_throws_ok($$SELECT api.leave_world('tap-private')$$, 'PT409', 'the owner cannot leave', 'the owner cannot leave (409)');
SELECT is(tests.error_of($$SELECT api.leave_world('tap-private')$$) ->> 'hint',
  'Transfer the world to another member first with /rpc/transfer_ownership.', 'the 409 says to transfer first');
SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT tests.api_throws_ok(format($$SELECT api.remove_member('tap-private', %L)$$, tests.id_of('Mia')), 'PT404',
  'unknown member', 'a removed member is no longer one');
SELECT is(api.leave_world('tap-private'), '{"world_slug": "tap-private", "left": true}'::jsonb, 'an editor leaves the world');
SELECT tests.api_throws_ok($$SELECT api.leave_world('tap-private')$$, 'PT404', 'unknown world', 'and then no longer sees it');
SELECT tests.api_throws_ok($$SELECT api.leave_world('tap-public')$$, 'PT404', 'unknown member', 'leaving a world one is not a member of is a 404');

-- ban and unban ====================================================================================
-- tap-public: Olga owner, Eddie and Mia editors, Bo a member.
SELECT tests.as_owner();
INSERT INTO app.world_members (world_id, user_id, role)
VALUES (tests.world('tap-public'), tests.id_of('Eddie'), 'editor'), (tests.world('tap-public'), tests.id_of('Mia'), 'editor'),
       (tests.world('tap-public'), tests.id_of('Bo'), 'member');
SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT tests.api_throws_ok(format($$SELECT api.ban('tap-public', %L)$$, tests.id_of('Olga')), 'PT403', 'you may not ban this player',
  'an editor may not ban the owner (403)');
SELECT tests.api_throws_ok(format($$SELECT api.ban('tap-public', %L)$$, tests.id_of('Mia')), 'PT403', 'you may not ban this player',
  'an editor may not ban an editor (403)');
SELECT tests.api_throws_ok(format($$SELECT api.ban('tap-public', %L, repeat('r', 501))$$, tests.id_of('Bo')), '22023', 'malformed ban reason',
  'a 501-character reason is a 400');
SELECT tests.api_throws_ok(format($$SELECT api.ban('tap-public', %L, 'x', now() - interval '1 minute')$$, tests.id_of('Bo')), '22023',
  'a ban ends in the future', 'a ban ending in the past is a 400');
SELECT tests.api_throws_ok($$SELECT api.ban('tap-public', '00000000-0000-4000-8000-00000000beef')$$, 'PT404', 'unknown user',
  'banning an unknown user is a 404');
SELECT tests.api_throws_ok(format($$SELECT api.ban('tap-public', %L)$$, tests.id_of('Eddie')), '22023', 'you cannot ban yourself',
  'banning oneself is a 400');
SELECT is(api.ban('tap-public', tests.id_of('Bo'), 'spam') - 'user_id',
  '{"world_slug": "tap-public", "reason": "spam", "until": null}'::jsonb, 'an editor bans a member');
SELECT is(api.ban('tap-public', tests.id_of('Ozzy')) ->> 'reason', '', 'an editor bans a non-member visitor; the reason defaults to empty');
SELECT results_eq($$SELECT user_id, reason, banned_by FROM api.world_bans WHERE world_id = tests.world('tap-public') ORDER BY reason$$,
  format($$VALUES (%L::uuid, '', %L::uuid), (%L::uuid, 'spam', %L::uuid)$$, tests.id_of('Ozzy'), tests.id_of('Eddie'), tests.id_of('Bo'), tests.id_of('Eddie')),
  'GET /world_bans shows an editor the world''s bans');
SELECT results_eq($$SELECT count(*)::integer FROM api.world_members WHERE world_id = tests.world('tap-public') AND user_id = tests.id_of('Bo')$$,
  ARRAY[0], 'a ban ends the membership');

SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT tests.api_throws_ok(format($$SELECT api.ban('tap-public', %L)$$, tests.id_of('Olga')), '22023', 'you cannot ban yourself',
  'the owner cannot ban themself');
SELECT is(api.ban('tap-public', tests.id_of('Mia')) ->> 'reason', '', 'the owner bans an editor');
SELECT is(api.ban('tap-public', tests.id_of('Anon'), 'trolling') ->> 'reason', 'trolling', 'an anonymous player can be banned from a public world');
SELECT is(api.ban('tap-public', tests.id_of('Anon'), 'again', now() + interval '1 day') ->> 'reason', 'again', 'banning again');
SELECT results_eq($$SELECT reason, until FROM api.world_bans WHERE user_id = tests.id_of('Anon')$$,
  $$VALUES ('again', now() + interval '1 day')$$, 'banning again replaces the reason and the end, in one row');

SELECT tests.authenticate_as(tests.id_of('Anon'));
SELECT tests.api_throws_ok($$SELECT api.get_world('tap-public')$$, 'PT404', 'unknown world', 'a banned player''s get_world is a 404');
INSERT INTO tests.refusals SELECT 'banned', tests.error_of($$SELECT api.get_world('tap-public')$$);
SELECT is_empty($$SELECT * FROM api.rooms WHERE world_id = tests.world('tap-public')$$, 'a banned player reads none of the world''s rooms');
SELECT results_eq($$SELECT slug::text FROM api.worlds ORDER BY slug$$, ARRAY['ark'], 'nor is it listed for them');

SELECT tests.authenticate_as(tests.id_of('Bo'));
SELECT tests.api_throws_ok(format('SELECT api.accept_invitation(%L)', tests.v('banned')::jsonb ->> 'token'), 'PT404', 'unknown invitation',
  'a banned player''s acceptance of a valid invitation is refused');
INSERT INTO tests.refusals SELECT 'token-banned', tests.error_of(format('SELECT api.accept_invitation(%L)', tests.v('banned')::jsonb ->> 'token'));

SELECT tests.as_owner();
INSERT INTO app.world_members (world_id, user_id, role) VALUES (tests.world('tap-public'), tests.id_of('Ozzy'), 'member')
ON CONFLICT DO NOTHING;
DELETE FROM app.world_bans WHERE user_id = tests.id_of('Ozzy');
SELECT tests.authenticate_as(tests.id_of('Ozzy'));
SELECT tests.api_throws_ok(format($$SELECT api.unban('tap-public', %L)$$, tests.id_of('Bo')), 'PT403', 'only the owner or an editor may unban',
  'a member may not unban (403)');
SELECT is_empty($$SELECT * FROM api.world_bans$$, 'a member sees no bans');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.unban('tap-public', tests.id_of('Anon')) ->> 'banned', 'false', 'the owner lifts a ban');
SELECT tests.authenticate_as(tests.id_of('Anon'));
SELECT is(api.get_world('tap-public') ->> 'slug', 'tap-public', 'the unbanned player sees the world again');

-- archive_world and restore_world ===================================================================
SELECT tests.as_owner();
INSERT INTO app.world_members (world_id, user_id, role) VALUES (tests.world('tap-private'), tests.id_of('Eddie'), 'editor');
SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT tests.api_throws_ok($$SELECT api.archive_world('tap-private')$$, 'PT403', 'only the owner may archive or restore a world',
  'an editor may not archive (403)');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.archive_world('tap-private'), '{"slug": "tap-private", "archived_at": null}'::jsonb || jsonb_build_object('archived_at', now()),
  'the owner archives the world');
SELECT is(api.get_world('tap-private') ->> 'archived_at', to_jsonb(now()) #>> '{}', 'the owner still sees the archived world');
SELECT results_eq($$SELECT slug::text FROM api.worlds WHERE archived_at IS NOT NULL$$, ARRAY['tap-private'], 'and it is listed for them');
SELECT tests.api_throws_ok($$SELECT api.invite('tap-private', 'member')$$, 'PT409', 'this world is archived',
  'an archived world takes no invitations until restored (409)');
SELECT tests.api_throws_ok($$SELECT api.create_world('tap-fifth', 'Fifth')$$, 'PT409', 'you own as many worlds as you may',
  'an archived world still counts against max_worlds_per_owner');
SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT tests.api_throws_ok($$SELECT api.get_world('tap-private')$$, 'PT404', 'unknown world', 'an editor''s get_world of an archived world is a 404');
INSERT INTO tests.refusals SELECT 'archived', tests.error_of($$SELECT api.get_world('tap-private')$$);
SELECT tests.api_throws_ok($$SELECT api.restore_world('tap-private')$$, 'PT404', 'unknown world', 'an editor cannot restore it either (404)');
SELECT is_empty($$SELECT * FROM api.worlds WHERE slug = 'tap-private'$$, 'an archived world is not listed for its editors');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.restore_world('tap-private'), '{"slug": "tap-private", "archived_at": null}'::jsonb, 'the owner restores the world');
SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT is(api.get_world('tap-private') - 'id' - 'created_at' - 'owner_id',
  '{"slug": "tap-private", "name": "Private", "description": "members only", "visibility": "private", "archived_at": null,
    "my_role": "editor", "main_room_slug": "lobby", "rooms": ["lobby"]}'::jsonb,
  'restored as it was: private, with its members and rooms');

-- PATCH /worlds ===================================================================================
SELECT tests.authenticate_as(tests.id_of('Eddie'));
SELECT is(tests.row_count($$UPDATE api.worlds SET name = 'Renamed', description = 'new' WHERE slug = 'tap-private'$$), 1::bigint,
  'an editor changes the name and description through api.worlds');
SELECT tests.api_throws_ok($$UPDATE api.worlds SET slug = 'tap-moved' WHERE slug = 'tap-private'$$, 'PT403',
  'only the owner may change a world''s slug or visibility', 'an editor may not change the slug (403)');
SELECT tests.api_throws_ok($$UPDATE api.worlds SET my_role = 'owner' WHERE slug = 'tap-private'$$, '0A000',
  'cannot update column "my_role" of view "worlds"', 'my_role is read only');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(tests.row_count($$UPDATE api.worlds SET visibility = 'unlisted', slug = 'tap-moved' WHERE slug = 'tap-private'$$), 1::bigint,
  'the owner changes the slug and visibility');
SELECT tests.authenticate_as(tests.id_of('Ozzy'));
SELECT is(tests.row_count($$UPDATE api.worlds SET name = 'Mine' WHERE slug = 'tap-public'$$), 0::bigint,
  'a member who is no editor changes nothing');
SELECT is(tests.row_count($$UPDATE api.worlds SET name = 'Mine' WHERE slug = 'ark'$$), 0::bigint, 'nor does a player change ark');

-- One 404 for every world the caller may not see ========================================================
SELECT tests.as_owner();
SELECT is((SELECT count(DISTINCT body - 'detail')::integer FROM tests.refusals WHERE kind NOT LIKE 'token-%'), 1,
  'private, unknown, malformed, missing, archived and banned worlds answer one identical 404 (code, message, hint, status)');
SELECT results_eq($$SELECT DISTINCT body - 'detail' FROM tests.refusals WHERE kind NOT LIKE 'token-%'$$,
  $$VALUES ('{"sqlstate": "PT404", "message": "unknown world", "hint": "GET /worlds lists the worlds you may see.", "status": 404,
             "status_text": "Not Found", "headers": {}}'::jsonb)$$, 'that 404 is unknown world');
SELECT is((SELECT count(DISTINCT (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys((body ->> 'detail')::jsonb) k))::integer
             FROM tests.refusals WHERE kind NOT LIKE 'token-%'), 1, 'its details have the same shape every time: {world}');
SELECT is((SELECT count(*)::integer FROM tests.refusals WHERE kind LIKE 'token-%'), 9, '(nine kinds of bad token were tried)');
SELECT results_eq($$SELECT DISTINCT body FROM tests.refusals WHERE kind LIKE 'token-%'$$,
  $$VALUES ('{"sqlstate": "PT404", "message": "unknown invitation", "detail": null, "hint": "Ask the world''s owner or an editor for a new invitation.",
             "status": 404, "status_text": "Not Found", "headers": {}}'::jsonb)$$,
  'unknown, malformed, missing, expired, revoked, used-up, wrong-email (also for an anonymous caller) and banned tokens answer one identical body, details included');

SELECT * FROM finish();
ROLLBACK;
