-- Smoke test after `sqitch revert` to zero and `sqitch deploy` again: the objects are back, row-level
-- security is on, sign-in works and the seed is loaded. The full suite is tests/db.
BEGIN;
\ir ../db/helpers.psql

SELECT plan(14);

-- as the owner
SELECT has_table('app', 'users', 'app.users is back');
SELECT has_table('auth', 'credentials', 'auth.credentials is back');
SELECT has_view('api', 'agents', 'api.agents is back');
SELECT has_view('api', 'me', 'api.me is back');
SELECT has_function('api', 'login_anonymous', ARRAY['text', 'text'], 'api.login_anonymous is back');
SELECT has_function('api', 'login', ARRAY['text', 'text'], 'api.login is back');
SELECT is_empty($$
  SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname IN ('app', 'auth') AND c.relkind IN ('r', 'p') AND NOT (c.relrowsecurity AND c.relforcerowsecurity)$$,
  'every table in app and auth has row-level security enabled and forced');
SELECT is_empty($$
  SELECT n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
         aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
   WHERE n.nspname IN ('app', 'api', 'auth', 'realtime') AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'$$,
  'no function in app, api, auth or realtime is executable by PUBLIC');

-- The signing key is per installation (db/configure.sql); this test signs with a throwaway one that
-- rolls back with it.
SELECT auth.set_jwt_secret(encode(gen_random_bytes(32), 'hex'));

-- as web_anon
SELECT tests.clear_authentication();
SELECT results_eq('SELECT slug::text FROM api.agents ORDER BY slug', ARRAY['chronicler', 'maven', 'sage', 'scout', 'trends'],
  'the seed''s five agents are served');
SELECT results_eq('SELECT slug::text FROM api.rooms WHERE is_main', ARRAY['town'], 'the seed''s town is the main room');
SELECT api.login_anonymous('Smoke', 'brendan') AS smoke_session \gset
SELECT throws_ok('SELECT * FROM api.agent_prompts', '42501', 'permission denied for view agent_prompts',
  'web_anon cannot read prompts');

-- as a player, with the token's sub
SELECT tests.authenticate_as((tests.jwt_payload(:'smoke_session'::json ->> 'token') ->> 'sub')::uuid);
SELECT results_eq('SELECT id, display_name::text FROM api.me',
  format($$VALUES (%L::uuid, 'Smoke')$$, :'smoke_session'::json ->> 'user_id'),
  'login_anonymous returned a token whose sub is the new player');

-- as the owner
SELECT tests.as_owner();
SELECT ok(tests.jwt_verifies(:'smoke_session'::json ->> 'token'), 'the token''s signature verifies');
SELECT is(tests.jwt_payload(:'smoke_session'::json ->> 'token') ->> 'role', 'player', 'the token''s role is player');

SELECT * FROM finish();
ROLLBACK;
