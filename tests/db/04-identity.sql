-- Identity over PostgREST (issue section 5): every api function's happy path and each rejection with
-- its exact SQLSTATE and message, and the tokens they issue, decoded and verified in SQL.
BEGIN;
\ir helpers.psql

SELECT plan(122);

-- A login as PostgREST runs it: response.status starts unset, and the function may set it. Answers
-- {status, body}, or {error: {sqlstate, message}} when api.login raises.
CREATE FUNCTION tests.try_login(email text, password text) RETURNS jsonb
  LANGUAGE plpgsql AS $$
DECLARE
  body json;
BEGIN
  PERFORM set_config('response.status', '', true);
  body := api.login(email, password);
  RETURN jsonb_build_object('status', nullif(current_setting('response.status', true), ''), 'body', body);
EXCEPTION WHEN OTHERS THEN
  RETURN jsonb_build_object('error', jsonb_build_object('sqlstate', SQLSTATE, 'message', SQLERRM));
END
$$;
GRANT EXECUTE ON FUNCTION tests.try_login(text, text) TO web_anon, player;

-- The same for api.register, which answers a taken email by setting response.status (so that the
-- attempt's count commits) instead of raising.
CREATE FUNCTION tests.try_register(email text, password text) RETURNS jsonb
  LANGUAGE plpgsql AS $$
DECLARE
  body json;
BEGIN
  PERFORM set_config('response.status', '', true);
  body := api.register(email, password);
  RETURN jsonb_build_object('status', nullif(current_setting('response.status', true), ''), 'body', body);
EXCEPTION WHEN OTHERS THEN
  RETURN jsonb_build_object('error', jsonb_build_object('sqlstate', SQLSTATE, 'message', SQLERRM));
END
$$;
GRANT EXECUTE ON FUNCTION tests.try_register(text, text) TO player;

-- The body api.login answers every failed attempt with.
CREATE FUNCTION tests.invalid_login_body() RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT '{"code": "28P01", "message": "invalid email or password", "details": null,
           "hint": "Check both. After 5 failures in 15 minutes this email is locked for the rest of the window."}'::jsonb
$$;
GRANT EXECUTE ON FUNCTION tests.invalid_login_body() TO web_anon, player;

-- api.login_anonymous ===========================================================================

-- as web_anon
SELECT tests.clear_authentication();

SELECT api.login_anonymous('  Ada  ', 'may') AS ada_session \gset

SELECT results_eq(format($$SELECT k FROM json_object_keys(%L::json) k ORDER BY k$$, :'ada_session'),
  ARRAY['expires_at', 'token', 'user_id'],
  'login_anonymous returns {user_id, token, expires_at}');

SELECT throws_ok($$SELECT api.login_anonymous('', 'brendan')$$, '22023', 'display_name must not be empty',
  'login_anonymous refuses an empty name');
SELECT throws_ok($$SELECT api.login_anonymous(E' \t ', 'brendan')$$, '22023', 'display_name must not be empty',
  'login_anonymous refuses a blank name');
SELECT throws_ok($$SELECT api.login_anonymous(NULL, 'brendan')$$, '22023', 'display_name must not be empty',
  'login_anonymous refuses a missing name');
SELECT throws_ok($$SELECT api.login_anonymous(repeat('x', 33), 'brendan')$$, '22023',
  'display_name is 33 characters long; the limit is 32', 'login_anonymous refuses an oversized name');
SELECT throws_ok($$SELECT api.login_anonymous(E'Ada\u0001', 'brendan')$$, '22023',
  'display_name must not contain control characters', 'login_anonymous refuses control characters in the name');
SELECT throws_ok($$SELECT api.login_anonymous('Ada', 'pikachu')$$, '22023', 'unknown avatar_sprite',
  'login_anonymous refuses an unknown sprite');
SELECT throws_ok($$SELECT api.login_anonymous('Ada', NULL)$$, '22023', 'unknown avatar_sprite',
  'login_anonymous refuses a missing sprite');
SELECT is(tests.error_of($$SELECT api.login_anonymous('Ada', 'pikachu')$$) ->> 'hint',
  'Choose one of: brendan, may (GET /avatar_sprites).',
  'the hint for an unknown sprite lists the valid ones from the database');

-- as the owner: what login_anonymous wrote
SELECT tests.as_owner();
SELECT tests.remember('Ada', (:'ada_session'::json ->> 'user_id')::uuid);

SELECT results_eq(format('SELECT display_name::text, avatar_sprite, email, is_anonymous FROM app.users WHERE id = %L', tests.id_of('Ada')),
  $$VALUES ('Ada', 'may', NULL::text, true)$$,
  'login_anonymous created an anonymous user with the trimmed name and the sprite');
SELECT results_eq(format('SELECT audio_enabled, video_enabled, volume, theme, show_player_names FROM app.user_settings WHERE user_id = %L',
                         tests.id_of('Ada')),
  $$VALUES (true, false, 80, 'dark', true)$$,
  'login_anonymous created the default settings');
SELECT is(tests.jwt_part(:'ada_session'::json ->> 'token', 1), '{"alg": "HS256", "typ": "JWT"}'::jsonb,
  'the token header is HS256 JWT');
SELECT results_eq(format($$SELECT k FROM jsonb_object_keys(tests.jwt_payload(%L)) k ORDER BY k$$, :'ada_session'::json ->> 'token'),
  ARRAY['exp', 'gen', 'iat', 'role', 'sid', 'sub'],
  'the token carries exactly role, sub, sid, gen, iat and exp');
SELECT is(tests.jwt_payload(:'ada_session'::json ->> 'token') ->> 'role', 'player', 'the token''s role is player');
SELECT is((tests.jwt_payload(:'ada_session'::json ->> 'token') ->> 'sub')::uuid, tests.id_of('Ada'),
  'the token''s sub is the new user''s id');
SELECT is((tests.jwt_payload(:'ada_session'::json ->> 'token') ->> 'iat')::bigint, floor(extract(epoch FROM now()))::bigint,
  'the token is issued now');
SELECT is((tests.jwt_payload(:'ada_session'::json ->> 'token') ->> 'exp')::bigint
          - (tests.jwt_payload(:'ada_session'::json ->> 'token') ->> 'iat')::bigint, 86400::bigint,
  'the token expires 24 hours after it is issued');
SELECT is((:'ada_session'::json ->> 'expires_at')::timestamptz,
          to_timestamp((tests.jwt_payload(:'ada_session'::json ->> 'token') ->> 'exp')::bigint),
  'expires_at is the token''s exp');
SELECT ok(tests.jwt_verifies(:'ada_session'::json ->> 'token'), 'the token''s signature verifies with the stored secret');
SELECT ok(NOT tests.jwt_verifies(regexp_replace(:'ada_session'::json ->> 'token', '^([^.]*)\.[^.]*\.',
                                                '\1.' || auth.base64url(convert_to('{"role":"content_admin"}', 'UTF8')) || '.')),
  'a token with a forged payload does not verify');

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ada'));
SELECT isnt((api.login_anonymous('Ada', 'may') ->> 'user_id')::uuid, tests.id_of('Ada'),
  'a signed-in player may call login_anonymous (switching accounts): a new account, not theirs');

-- api.register ==================================================================================

-- as a player (Ada, anonymous)
SELECT throws_ok($$SELECT api.register('not-an-email', 'correct horse battery')$$, '22023', 'malformed email address',
  'register refuses an address without @');
SELECT throws_ok($$SELECT api.register('ada@localhost', 'correct horse battery')$$, '22023', 'malformed email address',
  'register refuses an address without a dotted domain');
SELECT throws_ok($$SELECT api.register('ada lovelace@example.org', 'correct horse battery')$$, '22023', 'malformed email address',
  'register refuses an address with a space');
SELECT throws_ok($$SELECT api.register(repeat('a', 243) || '@example.org', 'correct horse battery')$$, '22023', 'malformed email address',
  'register refuses an address over 254 characters');
SELECT throws_ok($$SELECT api.register(NULL, 'correct horse battery')$$, '22023', 'malformed email address',
  'register refuses a missing address');
SELECT throws_ok($$SELECT api.register('ada@example.org', 'seven77')$$, '22023', 'password is too short',
  'register refuses a password of 7 characters');
SELECT throws_ok($$SELECT api.register('ada@example.org', NULL)$$, '22023', 'password is too short',
  'register refuses a missing password');
SELECT throws_ok($$SELECT api.register('ada@example.org', repeat('ü', 37))$$, '22023', 'password is too long',
  'register refuses a password over 72 bytes, which bcrypt would truncate');
SELECT is(tests.error_of($$SELECT api.register('ada@example.org', 'short')$$) ->> 'hint', 'Use at least 8 characters.',
  'the hint says how long a password must be');

SELECT api.register(' Ada@Example.ORG ', 'correct horse battery') AS ada_registered \gset

SELECT is((:'ada_registered'::json ->> 'user_id')::uuid, tests.id_of('Ada'), 'register keeps the user''s id');
SELECT is((tests.jwt_payload(:'ada_registered'::json ->> 'token') ->> 'sub')::uuid, tests.id_of('Ada'),
  'register returns a token for the same user');
SELECT results_eq('SELECT email, is_anonymous, display_name::text FROM api.me',
  $$VALUES ('ada@example.org', false, 'Ada')$$,
  'after register, api.me shows the lowercased email and is_anonymous false');
SELECT tests.api_throws_ok($$SELECT api.register('ada2@example.org', 'correct horse battery')$$, 'PT409', 'this account is already registered',
  'register refuses an account that is already registered');

-- as another player (Bob, anonymous)
SELECT tests.as_owner();
SELECT tests.create_user('Bob');
SELECT tests.authenticate_as(tests.id_of('Bob'));
SELECT is(tests.try_register('ADA@example.org', 'another password'),
  '{"status": "409", "body": {"code": "23505", "message": "this email is already registered", "details": null,
                              "hint": "Sign in with /rpc/login, or use another email."}}'::jsonb,
  'register refuses an email that another account has, whatever its case: 409, and the attempt is counted');
SELECT results_eq('SELECT email, is_anonymous FROM api.me', $$VALUES (NULL::text, true)$$,
  'the refused registration left the other player anonymous');

-- as a player whose account no longer exists
SELECT tests.authenticate_as('00000000-0000-4000-8000-000000000dea');
SELECT tests.api_throws_ok($$SELECT api.register('gone@example.org', 'correct horse battery')$$, 'PT401', 'this account no longer exists',
  'register refuses a token whose user is gone');

-- as web_anon
SELECT tests.clear_authentication();
SELECT throws_ok($$SELECT api.register('anon@example.org', 'correct horse battery')$$, '42501', 'permission denied for function register',
  'web_anon may not register');

-- as the owner: what register stored
SELECT tests.as_owner();
SELECT results_eq(format('SELECT email, is_anonymous FROM app.users WHERE id = %L', tests.id_of('Ada')),
  $$VALUES ('ada@example.org', false)$$, 'register stored the normalized email');
SELECT ok((SELECT password_hash LIKE '$2a$10$%' FROM auth.credentials WHERE user_id = tests.id_of('Ada')),
  'the password is stored as a bcrypt hash with cost 10');
SELECT ok((SELECT public.crypt('correct horse battery', password_hash) = password_hash FROM auth.credentials WHERE user_id = tests.id_of('Ada')),
  'the stored hash verifies the password');
SELECT ok((SELECT strpos(password_hash, 'correct horse') = 0 FROM auth.credentials WHERE user_id = tests.id_of('Ada')),
  'the password itself is not stored');
SELECT is_empty(format('SELECT FROM auth.credentials WHERE user_id = %L', tests.id_of('Bob')),
  'the refused registration stored no credentials');

-- api.login =====================================================================================

UPDATE app.users SET last_seen_at = now() - interval '3 days' WHERE id = tests.id_of('Ada');

-- as web_anon
SELECT tests.clear_authentication();

SELECT tests.try_login(' ADA@example.org', 'correct horse battery') AS ada_login \gset
SELECT is(:'ada_login'::jsonb -> 'status', 'null'::jsonb, 'a successful login leaves the HTTP status alone (200)');
SELECT is((:'ada_login'::jsonb #>> '{body,user_id}')::uuid, tests.id_of('Ada'), 'login returns the account''s user_id');
SELECT is((tests.jwt_payload(:'ada_login'::jsonb #>> '{body,token}') ->> 'sub')::uuid, tests.id_of('Ada'),
  'login returns a token for the account');
SELECT is(tests.jwt_payload(:'ada_login'::jsonb #>> '{body,token}') ->> 'role', 'player', 'the login token''s role is player');

SELECT is(tests.try_login('ada@example.org', 'wrong password'),
  jsonb_build_object('status', '401', 'body', tests.invalid_login_body()),
  'a wrong password answers 401 with the invalid-login body');
SELECT is(tests.try_login('nobody@example.org', 'wrong password'),
  jsonb_build_object('status', '401', 'body', tests.invalid_login_body()),
  'an unknown email answers 401 with the same body');
SELECT is(tests.try_login('nobody@example.org', 'correct horse battery'), tests.try_login('ada@example.org', 'wrong password 2'),
  'a wrong email and a wrong password look the same');
SELECT throws_ok($$SELECT api.login('ada@example.org', '')$$, '22023', 'email and password are required',
  'login refuses an empty password');
SELECT throws_ok($$SELECT api.login('', 'correct horse battery')$$, '22023', 'email and password are required',
  'login refuses an empty email');
SELECT throws_ok($$SELECT api.login(NULL, NULL)$$, '22023', 'email and password are required',
  'login refuses missing fields');

-- as the owner: the failures are counted per normalized email, and survive the request
SELECT tests.as_owner();
SELECT results_eq('SELECT email, failures FROM auth.login_throttle ORDER BY email',
  $$VALUES ('ada@example.org', 2), ('nobody@example.org', 2)$$,
  'failed logins are counted per email in auth.login_throttle, unknown emails included');
SELECT results_eq(format('SELECT last_seen_at FROM app.users WHERE id = %L', tests.id_of('Ada')), ARRAY[now()],
  'a successful login updates last_seen_at');

-- as web_anon: a success clears the count
SELECT tests.clear_authentication();
SELECT is(tests.try_login('ada@example.org', 'correct horse battery') -> 'status', 'null'::jsonb,
  'the right password still works after two failures');
SELECT tests.as_owner();
SELECT is_empty($$SELECT FROM auth.login_throttle WHERE email = 'ada@example.org'$$,
  'a successful login clears the email''s failure count');

-- as web_anon: five failures lock the email
SELECT tests.clear_authentication();
SELECT is(tests.try_login('ada@example.org', 'guess ' || n) -> 'status', '"401"'::jsonb,
          format('failed login %s of 5 answers 401', n))
  FROM generate_series(1, 5) n;
SELECT tests.api_throws_ok($$SELECT api.login('ada@example.org', 'guess 6')$$, 'PT429', 'too many failed logins for this email',
  'the sixth attempt within 15 minutes answers 429');
SELECT tests.api_throws_ok($$SELECT api.login('Ada@Example.org', 'correct horse battery')$$, 'PT429', 'too many failed logins for this email',
  'while locked, even the right password answers 429');
SELECT is(tests.error_of($$SELECT api.login('ada@example.org', 'correct horse battery')$$) - 'message' - 'sqlstate',
  '{"detail": "{\"retry_after\": 900}", "hint": "Try again in 900 seconds (retry_after=900).", "status": 429,
    "status_text": "Too Many Requests", "headers": {"Retry-After": "900"}}'::jsonb,
  'the 429 says when to retry: a Retry-After header, JSON in details and words in the hint');
SELECT is(tests.try_login('nobody@example.org', 'guess') -> 'status', '"401"'::jsonb,
  'another email is not locked');

-- as the owner: the lock did not count further, and it ends with its window
SELECT tests.as_owner();
SELECT results_eq($$SELECT failures FROM auth.login_throttle WHERE email = 'ada@example.org'$$, ARRAY[5],
  'attempts refused with 429 are not counted');
UPDATE auth.login_throttle SET window_start = now() - interval '15 minutes 1 second' WHERE email = 'ada@example.org';
SELECT tests.clear_authentication();
SELECT is(tests.try_login('ada@example.org', 'correct horse battery') -> 'status', 'null'::jsonb,
  'after 15 minutes the right password works again');
SELECT tests.as_owner();
UPDATE auth.login_throttle SET window_start = now() - interval '16 minutes' WHERE email = 'nobody@example.org';
SELECT tests.clear_authentication();
SELECT is(tests.try_login('nobody@example.org', 'guess') -> 'status', '"401"'::jsonb, 'a failure after the window answers 401');
SELECT tests.as_owner();
SELECT results_eq($$SELECT failures, window_start FROM auth.login_throttle WHERE email = 'nobody@example.org'$$,
  $$VALUES (1, now())$$,
  'a failure after the window starts a new window with a count of 1');

-- as web_anon: input that cannot be an email is still just a failed login, never a server error
SELECT tests.clear_authentication();
SELECT is(tests.try_login((SELECT string_agg(md5(i::text), '') FROM generate_series(1, 100) i) || '@example.org', 'whatever1'),
  jsonb_build_object('status', '401', 'body', tests.invalid_login_body()),
  'login with a 3212-character email answers 401 like any unknown email, not a server error');

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ada'));
SELECT is((tests.try_login('ada@example.org', 'correct horse battery') #>> '{body,user_id}')::uuid, tests.id_of('Ada'),
  'a signed-in player may call api.login too (switching accounts)');

-- api.refresh_token =============================================================================

-- as the owner
SELECT tests.as_owner();
UPDATE app.users SET last_seen_at = now() - interval '1 day' WHERE id = tests.id_of('Ada');

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ada'));
SELECT api.refresh_token() AS ada_refreshed \gset
SELECT is((:'ada_refreshed'::json ->> 'user_id')::uuid, tests.id_of('Ada'), 'refresh_token returns the caller''s user_id');
SELECT is((tests.jwt_payload(:'ada_refreshed'::json ->> 'token') ->> 'sub')::uuid, tests.id_of('Ada'),
  'the fresh token is for the caller');
SELECT is(tests.jwt_payload(:'ada_refreshed'::json ->> 'token') ->> 'role', 'player', 'the fresh token''s role is player');
SELECT is((tests.jwt_payload(:'ada_refreshed'::json ->> 'token') ->> 'exp')::bigint,
          floor(extract(epoch FROM now() + interval '24 hours'))::bigint,
  'the fresh token expires 24 hours from now');
SELECT results_eq('SELECT last_seen_at FROM api.me', ARRAY[now()], 'refresh_token updates last_seen_at');

-- as a player whose account no longer exists
SELECT tests.authenticate_as('00000000-0000-4000-8000-000000000dea');
SELECT tests.api_throws_ok('SELECT api.refresh_token()', 'PT401', 'this account no longer exists',
  'refresh_token refuses a token whose user is gone');

-- as web_anon
SELECT tests.clear_authentication();
SELECT throws_ok('SELECT api.refresh_token()', '42501', 'permission denied for function refresh_token',
  'web_anon has no token to refresh');

-- as the owner: the fresh token verifies
SELECT tests.as_owner();
SELECT ok(tests.jwt_verifies(:'ada_refreshed'::json ->> 'token'), 'the fresh token''s signature verifies');
SELECT ok(tests.jwt_verifies(:'ada_registered'::json ->> 'token'), 'the token from register verifies');
SELECT ok(tests.jwt_verifies(:'ada_login'::jsonb #>> '{body,token}'), 'the token from login verifies');

-- auth.issue_service_token ======================================================================

-- as the owner
SELECT auth.issue_service_token('agent_service') AS service_token \gset
SELECT is(tests.jwt_payload(:'service_token') - 'iat' - 'exp' - 'sid', '{"role": "agent_service", "gen": 0}'::jsonb,
  'a service token carries its role, a session and a generation, and no sub');
SELECT is((tests.jwt_payload(:'service_token') ->> 'exp')::bigint - (tests.jwt_payload(:'service_token') ->> 'iat')::bigint,
  2592000::bigint, 'a service token lives 30 days by default');
SELECT ok(tests.jwt_verifies(:'service_token'), 'a service token verifies');
SELECT is((tests.jwt_payload(auth.issue_service_token('content_admin', interval '1 hour')) ->> 'exp')::bigint,
          floor(extract(epoch FROM now() + interval '1 hour'))::bigint,
  'a content_admin token with a one-hour lifetime');
SELECT throws_ok($$SELECT auth.issue_service_token('player')$$, '22023', 'cannot issue a service token for role player',
  'issue_service_token refuses player');
SELECT throws_ok($$SELECT auth.issue_service_token('postgres')$$, '22023', 'cannot issue a service token for role postgres',
  'issue_service_token refuses the owner');
SELECT throws_ok($$SELECT auth.issue_service_token('authenticator')$$, '22023', 'cannot issue a service token for role authenticator',
  'issue_service_token refuses authenticator');
SELECT throws_ok($$SELECT auth.issue_service_token(NULL)$$, '22023', 'cannot issue a service token for role NULL',
  'issue_service_token refuses a missing role');
SELECT throws_ok($$SELECT auth.issue_service_token('agent_service', interval '0')$$, '22023',
  'a service token must live between a second and a year', 'issue_service_token refuses a zero lifetime');
SELECT throws_ok($$SELECT auth.issue_service_token('agent_service', interval '367 days')$$, '22023',
  'a service token must live between a second and a year', 'issue_service_token refuses more than a year');

-- Only the owner can issue tokens or sign claims.
SELECT tests.clear_authentication();
SELECT throws_ok($$SELECT auth.issue_service_token('content_admin')$$, '42501', 'permission denied for function issue_service_token',
  'web_anon may not issue service tokens');
SELECT throws_ok($$SELECT auth.sign('{"role": "content_admin"}')$$, '42501', 'permission denied for function sign',
  'web_anon may not sign claims');
SELECT tests.authenticate_as(tests.id_of('Ada'));
SELECT throws_ok($$SELECT auth.issue_service_token('content_admin')$$, '42501', 'permission denied for function issue_service_token',
  'a player may not issue service tokens');
SELECT throws_ok($$SELECT auth.issue_token(gen_random_uuid())$$, '42501', 'permission denied for function issue_token',
  'a player may not issue player tokens');
SELECT tests.authenticate_service('agent_service');
SELECT throws_ok($$SELECT auth.issue_service_token('content_admin')$$, '42501', 'permission denied for function issue_service_token',
  'agent_service may not issue service tokens');
SELECT tests.authenticate_service('content_admin');
SELECT throws_ok($$SELECT auth.issue_service_token('content_admin')$$, '42501', 'permission denied for function issue_service_token',
  'content_admin may not issue service tokens');
SELECT throws_ok($$SELECT auth.set_jwt_secret(repeat('k', 64))$$, '42501', 'permission denied for function set_jwt_secret',
  'content_admin may not replace the signing key');

-- api.publish_prompt ============================================================================

-- as the owner: an inactive agent without any prompt
SELECT tests.as_owner();
INSERT INTO app.agents (slug, name, role, emoji, sprite_key, greeting, is_active)
VALUES ('ghost', 'Ghost', 'Retired Agent', '👻', 'archie', 'Boo.', false);

-- as content_admin
SELECT tests.authenticate_service('content_admin');
SELECT results_eq($$SELECT agent_slug::text, version, system_prompt, is_active FROM api.publish_prompt('scout', 'You are Scout, version two.')$$,
  $$VALUES ('scout', 2, 'You are Scout, version two.', true)$$,
  'publish_prompt returns the new version 2 of scout, active');
SELECT results_eq($$SELECT version, is_active FROM api.agent_prompts WHERE agent_slug = 'scout' ORDER BY version$$,
  $$VALUES (1, false), (2, true)$$,
  'after publishing, version 1 is inactive and version 2 the only active one');
SELECT results_eq($$SELECT version, is_active FROM api.publish_prompt('scout', 'You are Scout, version three.')$$,
  $$VALUES (3, true)$$,
  'publishing again gives version 3');
SELECT results_eq($$SELECT version FROM api.agent_prompts WHERE agent_slug = 'scout' AND is_active$$, ARRAY[3],
  'exactly one version of scout is active: the newest');
SELECT results_eq($$SELECT version, system_prompt FROM api.agent_prompts WHERE agent_slug = 'scout' ORDER BY version LIMIT 2$$,
  $$VALUES (1, 'You are Scout, a research specialist in ArkAgentic town. Find reliable sources, cite them, and say plainly when you are unsure.'),
           (2, 'You are Scout, version two.')$$,
  'earlier versions keep their text');
SELECT results_eq($$SELECT version, is_active FROM api.publish_prompt('ghost', 'You are retired.')$$,
  $$VALUES (1, true)$$,
  'the first prompt of an agent is version 1, inactive agents included');
SELECT results_eq($$SELECT count(*)::int FROM api.agent_prompts WHERE agent_slug = 'sage'$$, ARRAY[1],
  'publishing for scout left sage alone');
SELECT tests.api_throws_ok($$SELECT api.publish_prompt('nobody', 'Hello.')$$, 'PT404', 'unknown agent',
  'publish_prompt refuses an unknown agent');
SELECT tests.api_throws_ok($$SELECT api.publish_prompt(NULL, 'Hello.')$$, 'PT404', 'unknown agent',
  'publish_prompt refuses a missing agent');
SELECT throws_ok($$SELECT api.publish_prompt('scout', '')$$, '22023', 'a system prompt has 1 to 32000 characters',
  'publish_prompt refuses an empty prompt');
SELECT throws_ok($$SELECT api.publish_prompt('scout', '   ')$$, '22023', 'a system prompt has 1 to 32000 characters',
  'publish_prompt refuses a blank prompt');
SELECT throws_ok($$SELECT api.publish_prompt('scout', NULL)$$, '22023', 'a system prompt has 1 to 32000 characters',
  'publish_prompt refuses a missing prompt');
SELECT throws_ok($$SELECT api.publish_prompt('scout', repeat('x', 32001))$$, '22023', 'a system prompt has 1 to 32000 characters',
  'publish_prompt refuses a prompt over 32000 characters');
SELECT results_eq($$SELECT max(version) FROM api.agent_prompts WHERE agent_slug = 'scout'$$, ARRAY[3],
  'refused publications left no version behind');

-- as agent_service: sees the new active prompt, cannot publish
SELECT tests.authenticate_service('agent_service');
SELECT results_eq($$SELECT system_prompt FROM api.agent_prompts WHERE agent_slug = 'scout' AND is_active$$,
  ARRAY['You are Scout, version three.'],
  'agent_service reads the newly published prompt');
SELECT throws_ok($$SELECT api.publish_prompt('scout', 'Obey me.')$$, '42501', 'permission denied for function publish_prompt',
  'agent_service may not publish prompts');

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ada'));
SELECT tests.api_throws_ok($$SELECT api.publish_prompt('scout', 'Obey me.')$$, 'PT403', 'only the world''s owner and editors manage its agents',
  'a player may not publish prompts of installation agents');

-- The signing key ===============================================================================

-- as the owner
SELECT tests.as_owner();
SELECT throws_ok($$SELECT auth.set_jwt_secret('too short')$$, '22023', 'the JWT secret must be at least 32 bytes long',
  'set_jwt_secret refuses a key under 32 bytes');
SELECT throws_ok($$INSERT INTO auth.jwt_secret (singleton, secret) VALUES (false, repeat('k', 32))$$, '23514',
  'new row for relation "jwt_secret" violates check constraint "jwt_secret_single_row"',
  'there is one signing key');
SELECT lives_ok($$SELECT auth.set_jwt_secret(repeat('k', 32))$$, 'set_jwt_secret replaces the key');
SELECT results_eq('SELECT secret FROM auth.jwt_secret', ARRAY[repeat('k', 32)], 'the key was replaced, still one row');
SELECT ok(NOT tests.jwt_verifies(:'ada_refreshed'::json ->> 'token'), 'tokens signed with the old key no longer verify');
DELETE FROM auth.jwt_secret;

-- as web_anon
SELECT tests.clear_authentication();
SELECT throws_ok($$SELECT api.login_anonymous('Ada', 'may')$$, '55000', 'no JWT secret is configured',
  'without a signing key, sign-in fails with a clear message instead of an unsigned token');

SELECT * FROM finish();
ROLLBACK;
