-- Revocable tokens (issue 9, section 4): api.logout, api.logout_everywhere, the pre-request check that
-- PostgREST runs before every request (auth.check_request), and the bridge's realtime.revoked_tokens.
BEGIN;
\ir helpers.psql

SELECT plan(26);

-- A request as PostgREST makes it, with exactly these verified claims.
CREATE FUNCTION tests.request_as(claims jsonb) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('role', claims ->> 'role', true);
  PERFORM set_config('request.jwt.claims', claims::text, true);
END
$$;
GRANT EXECUTE ON FUNCTION tests.request_as(jsonb) TO web_anon, player, agent_service, content_admin, bridge;

-- as the owner
SELECT tests.create_user('Ada');
SELECT tests.create_user('Bob');
SELECT tests.jwt_payload(auth.issue_token(tests.id_of('Ada')) ->> 'token') AS ada1 \gset
SELECT tests.jwt_payload(auth.issue_token(tests.id_of('Ada')) ->> 'token') AS ada2 \gset
SELECT tests.jwt_payload(auth.issue_token(tests.id_of('Bob')) ->> 'token') AS bob \gset
SELECT jsonb_build_object('role', 'player', 'sub', tests.id_of('Ada'), 'iat', 1, 'exp', 9999999999) AS ada_legacy \gset
SELECT tests.jwt_payload(auth.issue_service_token('content_admin')) AS admin1 \gset
SELECT tests.jwt_payload(auth.issue_service_token('content_admin')) AS admin2 \gset

SELECT isnt(:'ada1'::jsonb ->> 'sid', :'ada2'::jsonb ->> 'sid', 'every sign-in is a session of its own');

-- Nothing revoked yet: every request passes.
SELECT tests.request_as(:'ada1');
SELECT lives_ok('SELECT auth.check_request()', 'a valid token passes the pre-request check');
SELECT tests.clear_authentication();
SELECT lives_ok('SELECT auth.check_request()', 'a request without a token passes the pre-request check');

-- logout
SELECT tests.request_as(:'ada1');
SELECT is(api.logout()::jsonb, '{"revoked": "session"}', 'logout revokes the session');
-- tests.error_of decodes PostgREST's JSON error form (RAISE SQLSTATE 'PGRST') into its fields.
SELECT is(tests.error_of('SELECT auth.check_request()') - 'hint' - 'detail',
  jsonb_build_object('sqlstate', 'PT401', 'message', 'the token has been revoked',
    'status', 401, 'status_text', 'Unauthorized',
    'headers', '{"WWW-Authenticate":"Bearer error=\"invalid_token\", error_description=\"the token has been revoked\""}'::jsonb),
  'the revoked token gets the fixed PostgREST 401');
SELECT is((tests.error_of('SELECT auth.check_request()') ->> 'detail')::jsonb, '{"reason": "revoked"}',
  'its details say why, as JSON');
SELECT is((tests.error_of('SELECT api.refresh_token()')) - 'hint' - 'detail' - 'headers',
  '{"sqlstate": "PT401", "message": "the token has been revoked", "status": 401, "status_text": "Unauthorized"}'::jsonb,
  'refresh_token refuses a revoked token');
SELECT is(tests.error_of('SELECT auth.check_request()') ->> 'hint', 'Sign in again with /rpc/login_anonymous or /rpc/login.',
  'the hint is fixed too');
SELECT tests.request_as(:'ada2');
SELECT lives_ok('SELECT auth.check_request()', 'another session of the same account stays valid');
SELECT tests.request_as(:'ada_legacy');
SELECT lives_ok('SELECT auth.check_request()', 'a token from before sessions stays valid');

-- A refreshed token keeps its session and generation.
SELECT tests.request_as(:'ada2');
SELECT tests.jwt_payload(api.refresh_token() ->> 'token') AS ada2b \gset
SELECT is(:'ada2b'::jsonb -> 'sid', :'ada2'::jsonb -> 'sid', 'refresh_token keeps the session');
SELECT is(:'ada2b'::jsonb -> 'gen', :'ada2'::jsonb -> 'gen', 'refresh_token keeps the generation');

-- logout_everywhere: every token of Ada issued so far, none of Bob's.
SELECT is(api.logout_everywhere()::jsonb, '{"revoked": "all"}', 'logout_everywhere revokes all');
SELECT tests.as_owner();
SELECT is(auth.token_revoked(:'ada2'), true, 'the token that called it is revoked');
SELECT is(auth.token_revoked(:'ada2b'), true, 'the token refreshed from it is revoked');
SELECT is(auth.token_revoked(:'ada_legacy'), true, 'a token from before sessions is revoked');
SELECT is(auth.token_revoked(:'bob'), false, 'another account''s token is not');
SELECT is(auth.token_revoked(tests.jwt_payload(auth.issue_token(tests.id_of('Ada')) ->> 'token')), false,
  'a token issued afterwards is valid');

-- Service tokens
SELECT tests.request_as(:'admin1');
SELECT is(api.logout()::jsonb, '{"revoked": "session"}', 'a content_admin token logs out');
SELECT tests.as_owner();
SELECT is(ARRAY[auth.token_revoked(:'admin1'), auth.token_revoked(:'admin2')], ARRAY[true, false],
  'only that content_admin token is revoked');

-- The bridge asks about many tokens at once.
SELECT tests.as_bridge();
SELECT is(realtime.revoked_tokens(jsonb_build_array(:'bob'::jsonb, :'ada1'::jsonb, :'admin2'::jsonb, :'admin1'::jsonb)),
  ARRAY[1, 3], 'realtime.revoked_tokens answers the positions of the revoked ones');
SELECT is(realtime.revoked_tokens('"not an array"'), '{}'::integer[], 'anything but an array is no token at all');

-- Pruning: a session row whose tokens have all expired goes at the next logout.
SELECT tests.as_owner();
UPDATE auth.token_revocations SET expires_at = now() - interval '1 second' WHERE key = 'sid:' || (:'ada1'::jsonb ->> 'sid');
SELECT tests.request_as(:'bob');
SELECT api.logout();
SELECT tests.as_owner();
SELECT is((SELECT count(*) FROM auth.token_revocations WHERE key = 'sid:' || (:'ada1'::jsonb ->> 'sid')), 0::bigint,
  'an expired revocation is pruned by the next logout');

-- The pre-request check is one index scan of the primary key (two keys), whatever the table holds.
INSERT INTO auth.token_revocations (key, expires_at)
SELECT 'sid:' || gen_random_uuid(), now() + interval '1 day' FROM generate_series(1, 2000);
ANALYZE auth.token_revocations;
CREATE TEMPORARY TABLE scans AS
SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relid = 'auth.token_revocations'::regclass;
SELECT auth.token_revoked(:'ada2');
SELECT is((SELECT ARRAY[t.seq_scan - s.seq_scan, t.idx_scan - s.idx_scan]
             FROM pg_stat_xact_user_tables t, scans s WHERE t.relid = 'auth.token_revocations'::regclass),
  ARRAY[0, 2]::bigint[], 'auth.token_revoked probes the primary key for its two keys (session, subject), no sequential scan');

-- logout with a player token that names nobody (no sub): the same fixed 401 form as every other refusal.
SELECT tests.request_as('{"role": "player"}');
SELECT tests.api_throws_ok('SELECT api.logout()', 'PT401', 'sign in first', 'logout refuses a player token without a subject');
SELECT tests.api_throws_ok('SELECT api.logout_everywhere()', 'PT401', 'sign in first',
  'logout_everywhere refuses a player token without a subject');

SELECT * FROM finish();
ROLLBACK;
