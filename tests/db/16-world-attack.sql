-- Attacks on custom worlds (issue 11) inside one transaction, rolled back: what a careless
-- administrator or a world's editor can break through the API's own paths.
--   * content_admin may PATCH /worlds the installation's worlds, slug included: renaming the default
--     world leaves app.world_settings.default_world_slug naming nothing, and then every join without a
--     world, and every eviction (which moves the evicted to the default world's main room), fails;
--     a ban answers 55000, which PostgREST turns into a 500. Making it private locks everyone out.
--   * editors ban members and visitors only, never editors; unban lets an editor lift the owner's ban of
--     an editor, undoing what they could not have done.
--   * the owner's role changes only by a transfer; a transfer to a visitor (not a member) is refused.
-- The deferred triggers (the one-owner rule, evictions) run where a test needs them with
-- SET CONSTRAINTS ALL IMMEDIATE, as they would at commit.
BEGIN;
\ir helpers.psql

SELECT plan(10);

-- as the owner
CREATE TABLE tests.v (name text PRIMARY KEY, value text);
CREATE FUNCTION tests.v(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM tests.v x WHERE x.name = v.name $$;
GRANT SELECT, INSERT ON tests.v TO web_anon, player, content_admin;
-- A statement, then the deferred triggers at once (as at commit).
CREATE FUNCTION tests.at_commit(sql text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  SET CONSTRAINTS ALL IMMEDIATE;
  SET CONSTRAINTS ALL DEFERRED;
END
$$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO web_anon, player, content_admin;

WITH made AS (
  INSERT INTO app.users (display_name, avatar_sprite, email, is_anonymous)
  SELECT 'Tap16 ' || n, 'brendan', 'tap16-' || lower(n) || '@example.org', false
    FROM unnest(ARRAY['Owner', 'EditorA', 'EditorB', 'Member', 'Visitor']) n
  RETURNING id, display_name)
SELECT count(tests.remember(substr(display_name, 7), id)) FROM made;

SELECT tests.authenticate_as(tests.id_of('Owner'));
SELECT api.create_world('tap16-world', 'Tap16 world', 'unlisted');
SELECT tests.as_owner();
INSERT INTO app.world_members (world_id, user_id, role)
SELECT w.id, tests.id_of(m.n), m.r FROM app.worlds w,
       (VALUES ('EditorA', 'editor'), ('EditorB', 'editor'), ('Member', 'member')) AS m(n, r)
 WHERE w.slug = 'tap16-world';
SELECT tests.authenticate_as(tests.id_of('Visitor'));
SELECT api.get_world('tap16-world');  -- a visitor of the unlisted world

-- Roles ============================================================================================
-- The owner bans editor B; editor A then lifts that ban.
SELECT tests.authenticate_as(tests.id_of('Owner'));
SELECT tests.at_commit(format($$SELECT api.ban('tap16-world', %L, 'owner says so')$$, tests.id_of('EditorB')));
SELECT tests.authenticate_as(tests.id_of('EditorA'));
SELECT tests.api_throws_ok(format($$SELECT api.unban('tap16-world', %L)$$, tests.id_of('EditorB')),
  'PT403', 'only the owner may lift a ban the owner made',
  'an editor cannot lift the owner''s ban of an editor (editors never ban editors)');
SELECT tests.as_owner();
SELECT is((SELECT count(*) FROM app.world_bans b JOIN app.worlds w ON w.id = b.world_id
            WHERE w.slug = 'tap16-world' AND b.user_id = tests.id_of('EditorB')), 1::bigint,
  'the owner''s ban of an editor stands');

SELECT tests.authenticate_as(tests.id_of('Owner'));
SELECT tests.api_throws_ok(format($$SELECT api.set_member_role('tap16-world', %L, 'member')$$, tests.id_of('Owner')),
  'PT409', 'the owner''s role changes only by a transfer', 'set_member_role on the owner is a 409');
SELECT tests.api_throws_ok(format($$SELECT api.transfer_ownership('tap16-world', %L)$$, tests.id_of('Visitor')),
  'PT404', 'unknown member', 'a transfer to a visitor who is not a member is refused as unknown member');
SELECT tests.api_throws_ok(format($$SELECT api.transfer_ownership('tap16-world', %L)$$, tests.id_of('EditorB')),
  'PT404', 'unknown member', 'a transfer to a banned former editor is refused as unknown member');

-- An editor's PATCH of what only the owner changes =====================================================
SELECT tests.authenticate_as(tests.id_of('EditorA'));
SELECT tests.api_throws_ok($$UPDATE api.worlds SET visibility = 'public' WHERE slug = 'tap16-world'$$,
  'PT403', 'only the owner may change a world''s slug or visibility', 'an editor cannot change the visibility');

-- The default world made private =========================================================================
-- content_admin may PATCH the installation's worlds; making the default world private (it has no
-- members) would evict every player in the town and let nobody in again.
SELECT tests.authenticate_service('content_admin');
INSERT INTO tests.v VALUES ('private_default', (tests.error_of($$UPDATE api.worlds SET visibility = 'private' WHERE slug = 'ark'$$))::text);
SELECT tests.as_owner();
SELECT is((tests.error_of(format($$SELECT realtime.join(%L, 'town', 'tap16', NULL)$$, tests.id_of('Member'))))::text,
  NULL, 'after content_admin''s PATCH of the default world to private, a join without a world still works (PATCH: '
  || coalesce(tests.v('private_default'), 'accepted') || ')');
UPDATE app.worlds SET visibility = 'public' WHERE slug = 'ark';  -- as it was, for what follows

-- The default world ==================================================================================
-- content_admin edits the installation's worlds; renaming the default one must be refused (or carry
-- app.world_settings.default_world_slug along), not leave the setting naming no world.
SELECT tests.authenticate_service('content_admin');
INSERT INTO tests.v VALUES ('rename_default', (tests.error_of($$UPDATE api.worlds SET slug = 'tap16-elsewhere' WHERE slug = 'ark'$$))::text);
SELECT tests.as_owner();
SELECT is((SELECT count(*) FROM app.worlds w JOIN app.world_settings s ON s.default_world_slug = w.slug), 1::bigint,
  'after content_admin''s PATCH of the default world''s slug, the setting still names a world (rename: '
  || coalesce(tests.v('rename_default'), 'accepted') || ')');
-- Whatever that PATCH did, a ban (whose eviction moves the banned to the default world) must not
-- answer an error PostgREST turns into a 5xx.
SELECT tests.authenticate_as(tests.id_of('Owner'));
INSERT INTO tests.v VALUES ('ban_after', (tests.error_of(format(
  $$SELECT tests.at_commit(format('SELECT api.ban(%%L, %%L)', 'tap16-world', %L))$$, tests.id_of('Member'))))::text);
SELECT tests.as_owner();
SELECT is(tests.v('ban_after'), NULL, 'a ban still works after content_admin''s PATCH of the default world');
-- And a join without a world still finds the default world's main room.
SELECT is((tests.error_of(format($$SELECT realtime.join(%L, 'town', 'tap16', NULL)$$, tests.id_of('Visitor'))))::text,
  NULL, 'a join without a world still reaches the default world');

SELECT * FROM finish();
ROLLBACK;
