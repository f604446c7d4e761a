-- Private chat consent (issue 9, section 3): api.block_user, api.unblock_user and api.blocked_users;
-- a blocked player cannot start a private chat with the blocker or send into one, and is refused exactly
-- as for a stranger's session or an unknown player; new private sessions per sender are limited.
-- Which role may read or execute what is 02-rls-matrix.
--
-- Time: now() is fixed for the whole transaction, so the rate limiter sees every call here arrive at
-- once; the test that needs time to pass moves the stored state.
BEGIN;
\ir helpers.psql

SELECT plan(44);

CREATE TABLE tests.sessions (name text PRIMARY KEY, id uuid NOT NULL);
CREATE FUNCTION tests.sid(name text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM tests.sessions s WHERE s.name = sid.name $$;
GRANT SELECT, INSERT ON tests.sessions TO player;
GRANT EXECUTE ON FUNCTION tests.sid(text) TO player;

-- An error without its details (which repeat the id sent): what tells two refusals apart, if anything.
CREATE FUNCTION tests.refusal(sql text) RETURNS jsonb LANGUAGE sql AS $$ SELECT tests.error_of(sql) - 'detail' $$;
GRANT EXECUTE ON FUNCTION tests.refusal(text) TO player;

-- as the owner
SELECT tests.create_user(n) FROM unnest(ARRAY['Ann', 'Ben', 'Cat', 'Dan']) n;
SELECT tests.create_user(format('Peer %s', n)) FROM generate_series(1, 12) n;

-- as Ann: a chat with Ben and one with Cat, before any block ---------------------------------------
SELECT tests.authenticate_as(tests.id_of('Ann'));
INSERT INTO tests.sessions SELECT 'ann_ben', (api.start_chat(other_user_id => tests.id_of('Ben'))).id;
INSERT INTO tests.sessions SELECT 'ann_cat', (api.start_chat(other_user_id => tests.id_of('Cat'))).id;
SELECT lives_ok($$SELECT api.send_message(tests.sid('ann_ben'), 'hello Ben')$$, 'Ann writes to Ben before the block');

SELECT tests.authenticate_as(tests.id_of('Ben'));
SELECT lives_ok($$SELECT api.send_message(tests.sid('ann_ben'), 'hi Ann')$$, 'Ben answers before the block');

-- block_user -----------------------------------------------------------------------------------------
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT is(api.block_user(tests.id_of('Ben')), jsonb_build_object('user_id', tests.id_of('Ben'), 'blocked', true),
  'block_user answers {user_id, blocked: true}');
SELECT is(api.block_user(tests.id_of('Ben')), jsonb_build_object('user_id', tests.id_of('Ben'), 'blocked', true),
  'blocking the same player again answers the same');
SELECT results_eq('SELECT user_id FROM api.blocked_users', ARRAY[tests.id_of('Ben')],
  'api.blocked_users lists the one block, once');
SELECT tests.api_throws_ok($$SELECT api.block_user(tests.id_of('Ann'))$$, '22023', 'you cannot block yourself',
  'blocking yourself is a 400 with a fixed message');
SELECT tests.api_throws_ok($$SELECT api.block_user('00000000-0000-4000-8000-00000000beef')$$, 'PT404', 'unknown user',
  'blocking an unknown user is a 404');
SELECT is(tests.error_of($$SELECT api.block_user('00000000-0000-4000-8000-00000000beef')$$) -> 'detail', 'null'::jsonb,
  'the 404 repeats nothing of the request');
SELECT tests.api_throws_ok($$SELECT api.block_user(NULL)$$, 'PT404', 'unknown user', 'a NULL user_id is an unknown user');
SELECT is(api.block_user(tests.id_of('Dan')), jsonb_build_object('user_id', tests.id_of('Dan'), 'blocked', true),
  'Ann blocks Dan too');

-- as Ben, the blocked player: nothing tells him -------------------------------------------------------
SELECT tests.authenticate_as(tests.id_of('Ben'));
SELECT is_empty('SELECT * FROM api.blocked_users', 'Ben''s own list is empty: it never shows who blocked him');
SELECT is_empty('SELECT * FROM app.user_blocks', 'RLS shows Ben no row of app.user_blocks, not even the one naming him');
SELECT tests.api_throws_ok('DELETE FROM app.user_blocks', '42501', 'permission denied for table user_blocks',
  'a player may not delete rows of app.user_blocks directly');
SELECT tests.api_throws_ok(format($$INSERT INTO app.user_blocks (blocker, blocked) VALUES (%L, %L)$$, tests.id_of('Ben'), tests.id_of('Cat')),
  '42501', 'permission denied for table user_blocks', 'a player may not insert rows of app.user_blocks directly');

SELECT is(tests.refusal($$SELECT api.send_message(tests.sid('ann_ben'), 'why no answer?')$$),
          tests.refusal($$SELECT api.send_message(tests.sid('ann_cat'), 'why no answer?')$$),
  'sending into the blocker''s session is refused exactly like a session that is not yours (code, message, status, headers, hint)');
SELECT tests.api_throws_ok($$SELECT api.send_message(tests.sid('ann_ben'), 'why no answer?')$$, 'PT404', 'unknown chat session',
  '... which is the 404 of an unknown chat session');
SELECT is(tests.refusal($$SELECT api.send_message(tests.sid('ann_ben'), 'retry', '00000000-0000-4000-8000-0000000000a1')$$),
          tests.refusal($$SELECT api.send_message(tests.sid('ann_cat'), 'retry', '00000000-0000-4000-8000-0000000000a1')$$),
  'the same with a client_msg_id');
SELECT is(tests.refusal(format('SELECT api.start_chat(other_user_id => %L)', tests.id_of('Ann'))),
          tests.refusal($$SELECT api.start_chat(other_user_id => '00000000-0000-4000-8000-00000000beef')$$),
  'start_chat with the blocker is refused exactly like start_chat with nobody');
SELECT tests.api_throws_ok(format('SELECT api.start_chat(other_user_id => %L)', tests.id_of('Ann')), 'PT404', 'unknown user',
  '... which is the 404 of an unknown user, even though the session exists');
SELECT results_eq($$SELECT content FROM api.chat_messages WHERE session_id = tests.sid('ann_ben') ORDER BY id$$,
  ARRAY['hello Ben', 'hi Ann'], 'Ben still reads the history of the session');
SELECT results_eq($$SELECT id FROM api.chat_sessions WHERE type = 'private' AND tests.id_of('Ann') IN (user_id, other_user_id)$$,
  ARRAY[tests.sid('ann_ben')], 'and still sees the session in his list');
SELECT lives_ok(format('SELECT api.start_chat(other_user_id => %L)', tests.id_of('Cat')),
  'a block stops chats with the blocker only: Ben starts one with Cat');

-- as Ann, the blocker ---------------------------------------------------------------------------------
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT results_eq($$SELECT content FROM api.chat_messages WHERE session_id = tests.sid('ann_ben') ORDER BY id$$,
  ARRAY['hello Ben', 'hi Ann'], 'nothing Ben tried after the block reached Ann''s session');
SELECT lives_ok($$SELECT api.send_message(tests.sid('ann_ben'), 'one last word')$$,
  'the blocker herself may still write into the session');

-- unblock_user -----------------------------------------------------------------------------------------
SELECT is(api.unblock_user(tests.id_of('Ben')), jsonb_build_object('user_id', tests.id_of('Ben'), 'blocked', false),
  'unblock_user answers {user_id, blocked: false}');
SELECT is(api.unblock_user(tests.id_of('Ben')), jsonb_build_object('user_id', tests.id_of('Ben'), 'blocked', false),
  'unblocking again (or someone never blocked) answers the same');
SELECT results_eq('SELECT user_id FROM api.blocked_users', ARRAY[tests.id_of('Dan')], 'only Dan is still blocked');
SELECT tests.api_throws_ok($$SELECT api.unblock_user(tests.id_of('Ann'))$$, '22023', 'you cannot block yourself',
  'unblocking yourself is the same 400');
SELECT tests.api_throws_ok($$SELECT api.unblock_user('00000000-0000-4000-8000-00000000beef')$$, 'PT404', 'unknown user',
  'unblocking an unknown user is a 404');

SELECT tests.authenticate_as(tests.id_of('Ben'));
SELECT lives_ok($$SELECT api.send_message(tests.sid('ann_ben'), 'back again')$$, 'after the unblock Ben writes again');
SELECT is((api.start_chat(other_user_id => tests.id_of('Ann'))).id, tests.sid('ann_ben'),
  'and start_chat returns the session again');

-- Deleting the blocker's account takes her blocks along.
SELECT tests.as_owner();
DELETE FROM app.users WHERE id = tests.id_of('Ann');
SELECT is_empty(format('SELECT FROM app.user_blocks WHERE %L IN (blocker, blocked)', tests.id_of('Ann')),
  'a deleted account leaves no blocks behind');

-- New private sessions per sender: 10 per hour ---------------------------------------------------------
SELECT results_eq($$SELECT max_events, per FROM app.rate_limit_rules WHERE action = 'start_private_chat'$$,
  $$VALUES (10, interval '1 hour')$$, 'the limit is a row of app.rate_limit_rules: 10 per hour');

SELECT tests.authenticate_as(tests.id_of('Dan'));
SELECT lives_ok($$SELECT api.start_chat(other_user_id => tests.id_of(format('Peer %s', n))) FROM generate_series(1, 10) n$$,
  'Dan opens 10 private sessions');
SELECT tests.api_throws_ok($$SELECT api.start_chat(other_user_id => tests.id_of('Peer 11'))$$, 'PT429', 'rate limit exceeded',
  'the 11th new session within the hour is a 429');
SELECT is(tests.error_of($$SELECT api.start_chat(other_user_id => tests.id_of('Peer 11'))$$) -> 'headers',
  '{"Retry-After": "360"}'::jsonb, 'with a Retry-After header: the next one is free in 6 minutes');
SELECT lives_ok($$SELECT api.start_chat(other_user_id => tests.id_of(format('Peer %s', n))) FROM generate_series(1, 10) n$$,
  'starting the 10 existing sessions again is not refused: they are not new');
SELECT lives_ok($$SELECT api.start_chat(agent_slug => 'scout')$$, 'agent sessions are not limited');

SELECT tests.authenticate_as(tests.id_of('Peer 1'));
SELECT lives_ok(format('SELECT api.start_chat(other_user_id => %L)', tests.id_of('Dan')),
  'the other end starting the existing session is not refused either');

SELECT tests.as_owner();
SELECT results_eq(format($$SELECT count(*)::integer FROM app.chat_sessions WHERE type = 'private' AND %L IN (user_id, other_user_id)$$, tests.id_of('Dan')),
  ARRAY[10], 'the refused calls stored no session');
SELECT results_eq(format($$SELECT tat - now() FROM app.rate_limit_state WHERE user_id = %L AND action = 'start_private_chat'$$, tests.id_of('Dan')),
  ARRAY[interval '1 hour'], 'the limiter counted the 10 new sessions only: 10 x 6 minutes ahead');
SELECT is_empty(format($$SELECT FROM app.rate_limit_state WHERE user_id = %L$$, tests.id_of('Peer 1')),
  'returning an existing session leaves no limiter state');

-- 6 minutes later (the state moved back as the owner), one more passes, then none.
UPDATE app.rate_limit_state SET tat = tat - interval '6 minutes' WHERE user_id = tests.id_of('Dan') AND action = 'start_private_chat';
SELECT tests.authenticate_as(tests.id_of('Dan'));
SELECT lives_ok($$SELECT api.start_chat(other_user_id => tests.id_of('Peer 11'))$$, '6 minutes later one more new session passes');
SELECT tests.api_throws_ok($$SELECT api.start_chat(other_user_id => tests.id_of('Peer 12'))$$, 'PT429', 'rate limit exceeded',
  '... and the next one is refused again');

SELECT * FROM finish();
ROLLBACK;
