-- The identity limits (issue 9, section 3): the global and per-address sign-up buckets, the trusted
-- forwarding header and hostile values in it, register's throttle, and the housekeeping that deletes
-- abandoned anonymous accounts and expired limiter rows. Inside one transaction now() stands still,
-- so every count here is exact.
BEGIN;
\ir helpers.psql

SELECT plan(42);

-- as the owner
-- A sign-up as PostgREST runs it, with the request's headers; answers {user_id} or {error}.
CREATE FUNCTION tests.sign_up(headers jsonb DEFAULT '{}') RETURNS jsonb
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('request.headers', headers::text, true);
  RETURN jsonb_build_object('user_id', api.login_anonymous('Newcomer', 'brendan') -> 'user_id');
EXCEPTION WHEN OTHERS THEN
  RETURN jsonb_build_object('error', jsonb_build_object('sqlstate', SQLSTATE,
                                                        'code', CASE WHEN SQLSTATE = 'PGRST' THEN SQLERRM::jsonb ->> 'code' END));
END
$$;
GRANT EXECUTE ON FUNCTION tests.sign_up(jsonb) TO web_anon, player;

CREATE FUNCTION tests.try_register(email text, password text) RETURNS jsonb
  LANGUAGE plpgsql AS $$
DECLARE
  body json;
BEGIN
  PERFORM set_config('response.status', '', true);
  body := api.register(email, password);
  RETURN jsonb_build_object('status', nullif(current_setting('response.status', true), ''), 'code', body ->> 'code');
EXCEPTION WHEN OTHERS THEN
  RETURN jsonb_build_object('status', CASE WHEN SQLSTATE = 'PGRST' THEN SQLERRM::jsonb ->> 'code' ELSE SQLSTATE END);
END
$$;
GRANT EXECUTE ON FUNCTION tests.try_register(text, text) TO player;

-- The bucket app.client_address_bucket finds for one x-forwarded-for value.
CREATE FUNCTION tests.address_of(header text) RETURNS text
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('request.headers', jsonb_build_object('x-forwarded-for', header)::text, true);
  RETURN app.client_address_bucket();
END
$$;

-- Housekeeping is tested on its own below; until then it must not run inside the sign-ups.
UPDATE app.identity_settings SET housekeeping_last_run_at = now();

-- The global bucket ===========================================================================

SELECT results_eq($$SELECT max_events, per FROM app.rate_limit_rules WHERE action = 'login_anonymous'$$,
  $$VALUES (600, interval '10 minutes')$$, 'the global sign-up limit is a row of app.rate_limit_rules: 600 per 10 minutes');
UPDATE app.rate_limit_rules SET max_events = 3, per = interval '1 hour' WHERE action = 'login_anonymous';
DELETE FROM app.rate_limit_buckets;

-- as web_anon
SELECT tests.clear_authentication();
SELECT ok(tests.sign_up() ? 'user_id' AND NOT tests.sign_up() ? 'error' AND NOT tests.sign_up() ? 'error',
  'three sign-ups fit the global bucket of three per hour');
SELECT is(tests.sign_up(), '{"error": {"sqlstate": "PGRST", "code": "PT429"}}'::jsonb,
  'the fourth sign-up within the hour answers 429');
SELECT is(tests.error_of($$SELECT api.login_anonymous('Newcomer', 'brendan')$$) - 'message' - 'sqlstate',
  '{"detail": "{\"retry_after\": 1200}", "hint": "At most 3 login_anonymous per 1 hour. Try again in 1200 seconds (retry_after=1200).",
    "status": 429, "status_text": "Too Many Requests", "headers": {"Retry-After": "1200"}}'::jsonb,
  'the 429 carries Retry-After and details, as chat''s limits do');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq($$SELECT bucket, tat - now() FROM app.rate_limit_buckets WHERE action = 'login_anonymous'$$,
  $$VALUES ('*', interval '1 hour')$$, 'the global bucket is one row (''*''), three 20-minute cells ahead, refused sign-ups not counted');
SELECT is((SELECT count(*)::integer FROM app.users WHERE display_name = 'Newcomer'), 3, 'a refused sign-up created no account');
UPDATE app.rate_limit_rules SET max_events = 1000, per = interval '1 hour' WHERE action = 'login_anonymous';
DELETE FROM app.rate_limit_buckets;

-- The per-address bucket ======================================================================

UPDATE app.rate_limit_rules SET max_events = 2, per = interval '1 hour' WHERE action = 'login_anonymous_per_address';

-- as the owner: no trusted header, so a forwarding header counts for nothing
SELECT is(tests.address_of('203.0.113.5'), NULL, 'without a trusted header there is no address bucket');
SELECT ok(NOT (tests.sign_up('{"x-forwarded-for": "203.0.113.5"}') ? 'error') AND NOT (tests.sign_up('{"x-forwarded-for": "203.0.113.5"}') ? 'error')
          AND NOT (tests.sign_up('{"x-forwarded-for": "203.0.113.5"}') ? 'error'),
  'without a trusted header, three sign-ups with one forwarded address all pass: only the global bucket applies');
SELECT is_empty($$SELECT FROM app.rate_limit_buckets WHERE action = 'login_anonymous_per_address'$$,
  'without a trusted header no address bucket is written');

SELECT app.set_trusted_client_address_header('X-Forwarded-For');
SELECT is((SELECT trusted_client_address_header FROM app.identity_settings), 'x-forwarded-for',
  'the trusted header is stored in lower case, as PostgREST names request headers');
SELECT throws_ok($$SELECT app.set_trusted_client_address_header('X-Forwarded-For: evil')$$, '22023', NULL,
  'a trusted header must be a header name');

-- The right-most entry is the one the proxy appended; the ones left of it are the client's to choose.
SELECT is((SELECT app.client_address_bucket() FROM (SELECT set_config('request.headers', '{}', true)) s), 'address:unknown', 'a trusted header that did not arrive is the shared unknown bucket');
SELECT results_eq($$
  SELECT v.header, (SELECT tests.address_of(v.header)) FROM (VALUES
    ('203.0.113.5'), ('10.0.0.1, 203.0.113.5'), ('evil, 1.1.1.1,203.0.113.5 '), ('203.0.113.5:4711'), ('::ffff:203.0.113.5'),
    ('2001:db8:1:2:3:4:5:6'), ('[2001:db8:1:2::9]:443'), ('2001:db8:1:2::/48'), ('10.1.2.3/8'),
    ('garbage'), (''), ('203.0.113.5, '), ('300.1.1.1'), (repeat('1', 10000)), (E'203.0.113.5\r\nX: y'), ('١٢٣.١.١.١'),
    (repeat('1.2.3.4,', 2000) || 'nonsense')) AS v(header)$$,
  $$VALUES ('203.0.113.5', 'address:203.0.113.5'), ('10.0.0.1, 203.0.113.5', 'address:203.0.113.5'),
           ('evil, 1.1.1.1,203.0.113.5 ', 'address:203.0.113.5'), ('203.0.113.5:4711', 'address:203.0.113.5'),
           ('::ffff:203.0.113.5', 'address:203.0.113.5'),
           ('2001:db8:1:2:3:4:5:6', 'address:2001:db8:1:2::/64'), ('[2001:db8:1:2::9]:443', 'address:2001:db8:1:2::/64'),
           ('2001:db8:1:2::/48', 'address:2001:db8:1:2::/64'), ('10.1.2.3/8', 'address:10.1.2.3'),
           ('garbage', 'address:unknown'), ('', 'address:unknown'), ('203.0.113.5, ', 'address:unknown'),
           ('300.1.1.1', 'address:unknown'), (repeat('1', 10000), 'address:unknown'),
           (E'203.0.113.5\r\nX: y', 'address:unknown'), ('١٢٣.١.١.١', 'address:unknown'),
           (repeat('1.2.3.4,', 2000) || 'nonsense', 'address:unknown')$$,
  'the bucket is the right-most forwarded address (IPv4, IPv6 by /64); anything else is the unknown bucket, never an error');
SELECT is((SELECT app.client_address_bucket() FROM (SELECT set_config('request.headers', 'not json {', true)) s), 'address:unknown',
  'request.headers that are not JSON are the unknown bucket too, not an error');
SELECT is((SELECT app.client_address_bucket() FROM (SELECT set_config('request.headers', '{"x-forwarded-for": ["1.2.3.4"]}', true)) s),
  'address:unknown', 'a forwarding header that is not a string is the unknown bucket');

-- as web_anon
SELECT tests.clear_authentication();
SELECT ok(NOT (tests.sign_up('{"x-forwarded-for": "203.0.113.5"}') ? 'error')
          AND NOT (tests.sign_up('{"x-forwarded-for": "198.51.100.1, 203.0.113.5"}') ? 'error'),
  'two sign-ups from one address fit its bucket of two per hour');
SELECT is(tests.sign_up('{"x-forwarded-for": "198.51.100.2, 203.0.113.5"}'), '{"error": {"sqlstate": "PGRST", "code": "PT429"}}'::jsonb,
  'the third from that address answers 429, whatever the client wrote left of the proxy''s entry');
SELECT ok(tests.sign_up('{"x-forwarded-for": "203.0.113.5, 198.51.100.9"}') ? 'user_id',
  'another address still signs up');
SELECT ok(NOT (tests.sign_up('{"x-forwarded-for": "junk"}') ? 'error') AND NOT (tests.sign_up('{}') ? 'error'),
  'malformed and missing headers share the unknown bucket');
SELECT is(tests.sign_up('{"x-forwarded-for": "\u0001\u001b[2J"}'), '{"error": {"sqlstate": "PGRST", "code": "PT429"}}'::jsonb,
  'a third request without a usable address is limited as one address, not let through');

-- as the owner
SELECT tests.as_owner();
SELECT set_eq($$SELECT bucket FROM app.rate_limit_buckets WHERE action = 'login_anonymous_per_address'$$,
  ARRAY['address:203.0.113.5', 'address:198.51.100.9', 'address:unknown'],
  'one bucket row per address');
UPDATE app.identity_settings SET trusted_client_address_header = NULL;

-- register's throttle ==========================================================================

SELECT tests.create_user('Owner');
UPDATE app.users SET email = 'taken@example.org', is_anonymous = false WHERE id = tests.id_of('Owner');
SELECT tests.create_user('Prober');
SELECT tests.create_user('Other');

-- as a player
SELECT tests.authenticate_as(tests.id_of('Prober'));
SELECT is(tests.try_register(format('taken@example.org'), 'correct horse battery'), '{"status": "409", "code": "23505"}'::jsonb,
  'a taken email answers 409');
SELECT tests.try_register('taken@example.org', 'correct horse battery') FROM generate_series(2, 5);
SELECT is(tests.try_register('taken@example.org', 'correct horse battery'), '{"status": "PT429"}'::jsonb,
  'after five taken emails from one caller, register answers 429');
SELECT is(tests.try_register('free-' || md5('x') || '@example.org', 'correct horse battery'), '{"status": "PT429"}'::jsonb,
  'the caller stays locked for other emails too: the lock is per caller');
SELECT is(tests.error_of($$SELECT api.register('taken@example.org', 'correct horse battery')$$) -> 'headers',
  '{"Retry-After": "900"}'::jsonb, 'the 429 says when to retry');

-- as another player: the email has been probed five times, by anyone
SELECT tests.authenticate_as(tests.id_of('Other'));
SELECT is(tests.try_register('taken@example.org', 'correct horse battery'), '{"status": "PT429"}'::jsonb,
  'an email probed five times is locked for every caller');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq($$SELECT key, failures FROM auth.register_throttle ORDER BY key$$,
  format($$VALUES ('caller:%s', 5), ('email:taken@example.org', 5)$$, tests.id_of('Prober')),
  'the counts live in auth.register_throttle, per caller and per email, and refused attempts are not counted');
UPDATE auth.register_throttle SET window_start = now() - interval '15 minutes';

-- as a player
SELECT tests.authenticate_as(tests.id_of('Prober'));
SELECT is(tests.try_register('mine@example.org', 'correct horse battery') -> 'status', 'null'::jsonb,
  'after the window the caller registers a free email');
-- as the owner
SELECT tests.as_owner();
SELECT results_eq($$SELECT key, failures FROM auth.register_throttle ORDER BY key$$,
  $$VALUES ('email:taken@example.org', 5)$$, 'a success deletes the caller''s count');

-- Housekeeping =================================================================================

SELECT tests.create_user('Abandoned');
SELECT tests.create_user('Abandoned2');
SELECT tests.create_user('Abandoned3');
SELECT tests.create_user('Chatter');
SELECT tests.create_user('Listener');
SELECT tests.create_user('Registered');
SELECT tests.create_user('Present');
SELECT tests.create_user('RecentlyOffline');
SELECT tests.create_user('Recent');
INSERT INTO auth.credentials (user_id, password_hash) VALUES (tests.id_of('Registered'), crypt('x', gen_salt('bf', 4)));
UPDATE app.users SET email = 'registered@example.org', is_anonymous = false WHERE id = tests.id_of('Registered');
INSERT INTO app.chat_sessions (type, user_id, agent_id)
  SELECT 'agent', tests.id_of('Chatter'), a.id FROM app.agents a ORDER BY a.slug LIMIT 1;
INSERT INTO app.chat_sessions (type, user_id, room_id) SELECT 'proximity', tests.id_of('Recent'), r.id FROM app.rooms r WHERE r.is_main;
INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
  SELECT s.id, 'user', s.user_id, 'Recent', 'hello' FROM app.chat_sessions s WHERE s.user_id = tests.id_of('Recent');
INSERT INTO app.chat_message_recipients (message_id, user_id)
  SELECT m.id, tests.id_of('Listener') FROM app.chat_messages m WHERE m.sender_id = tests.id_of('Recent');
INSERT INTO app.player_presence (user_id, room_id, x, y, status, last_update)
  SELECT v.user_id, p.room_id, p.x, p.y, v.status::app.presence_status, v.last_update
    FROM (VALUES (tests.id_of('Present'), 'online', now() - interval '40 days'),
                 (tests.id_of('RecentlyOffline'), 'offline', now() - interval '2 days'),
                 (tests.id_of('Abandoned3'), 'offline', now() - interval '40 days')) AS v(user_id, status, last_update),
         LATERAL (SELECT sp.room_id, sp.x, sp.y FROM app.spawn_points sp JOIN app.rooms r ON r.id = sp.room_id
                   WHERE r.is_main AND sp.type = 'player' ORDER BY sp.slug LIMIT 1) p;
UPDATE app.users SET last_seen_at = now() - interval '31 days', created_at = now() - interval '40 days'
 WHERE id IN (SELECT id FROM tests.actors WHERE name NOT IN ('Recent', 'Other'));
UPDATE app.users SET last_seen_at = now() - interval '29 days', created_at = now() - interval '40 days'
 WHERE id = tests.id_of('Recent');
UPDATE app.users SET last_seen_at = now() - interval '31 days', created_at = now() - interval '40 days'
 WHERE display_name = 'Newcomer';
UPDATE app.identity_settings SET housekeeping_batch = 2, housekeeping_last_run_at = now() - interval '9 minutes';
INSERT INTO auth.login_throttle (email, failures, window_start, last_failure_at) VALUES
  ('old@example.org', 5, now() - interval '20 minutes', now() - interval '16 minutes'),
  ('new@example.org', 1, now() - interval '1 minute', now() - interval '1 minute');

SELECT is(app.identity_housekeeping(), '{"ran": false}'::jsonb, 'housekeeping does not run before its interval has passed');
UPDATE app.identity_settings SET housekeeping_last_run_at = now() - interval '10 minutes';
DELETE FROM app.users WHERE display_name = 'Newcomer';  -- only the actors are candidates from here on
-- The bucket rows are those of this file's sign-ups; make two of them expired.
UPDATE app.rate_limit_buckets SET tat = now() - interval '1 second' WHERE bucket IN ('*', 'address:unknown');

-- as web_anon: a sign-up runs the housekeeping that is due, without any bridge or cron job
SELECT tests.clear_authentication();
SELECT ok(tests.sign_up() ? 'user_id', 'a sign-up when housekeeping is due succeeds');
-- as the owner
SELECT tests.as_owner();
SELECT results_eq($$SELECT housekeeping_last_run_at FROM app.identity_settings$$, ARRAY[now()],
  'the sign-up ran the housekeeping and recorded it');
SELECT is((SELECT count(*)::integer FROM tests.actors a WHERE a.name LIKE 'Abandoned%' AND NOT EXISTS (SELECT FROM app.users u WHERE u.id = a.id)),
  2, 'the run deleted two abandoned accounts: its batch');
SELECT is(app.identity_housekeeping(), '{"ran": false}'::jsonb, 'a second run within the interval does nothing');
SELECT is(app.identity_housekeeping(true) - 'login_throttle' - 'register_throttle' - 'rate_limit_buckets',
  '{"ran": true, "abandoned_users": 1}'::jsonb, 'the operator''s forced run deletes the third abandoned account');
SELECT set_eq($$SELECT a.name FROM tests.actors a JOIN app.users u ON u.id = a.id$$,
  ARRAY['Owner', 'Prober', 'Other', 'Chatter', 'Listener', 'Registered', 'Present', 'RecentlyOffline', 'Recent'],
  'accounts with chats, delivered messages, an email and password, presence online or in the period, or seen in the period are kept');
SELECT set_eq($$SELECT email FROM auth.login_throttle$$, ARRAY['new@example.org'],
  'expired login throttle rows are pruned, a running window is kept');
SELECT set_eq($$SELECT key FROM auth.register_throttle$$, ARRAY['email:taken@example.org'],
  'a register throttle row within its window is kept');
SELECT is_empty($$SELECT FROM app.rate_limit_buckets WHERE tat < now()$$, 'expired bucket rows are pruned');
SELECT isnt_empty($$SELECT FROM app.rate_limit_buckets WHERE bucket = 'address:203.0.113.5'$$, 'a bucket that still counts is kept');
UPDATE app.identity_settings SET abandoned_anonymous_after = interval '60 days';
UPDATE app.users SET last_seen_at = now() - interval '40 days' WHERE id = tests.id_of('Recent');
SELECT is(app.identity_housekeeping(true) -> 'abandoned_users', '0'::jsonb, 'the period is configurable: at 60 days nothing is abandoned yet');

-- Switching accounts ===========================================================================

-- as a player
SELECT tests.authenticate_as(tests.id_of('Chatter'));
SELECT ok(tests.sign_up() ? 'user_id', 'a player token may sign up anew');

SELECT * FROM finish();
ROLLBACK;
