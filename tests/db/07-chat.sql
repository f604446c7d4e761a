-- Chat (issue 4, "Sessions and messages"): every api and realtime chat function's happy path and each
-- rejection with its exact SQLSTATE and message, the rate limits, races on start_chat and the chat
-- tail (realtime.chat_stamp, chat_stream) that carries each message to its audience. Who may read which rows is 08-chat-rls.
--
-- Time: now() is fixed for the whole transaction, so every message here has the same created_at and
-- the rate limiter sees all calls arrive at once; tests that need time to pass move the stored state.
BEGIN;
\ir helpers.psql

SELECT plan(154);

-- Sessions and messages by name, for SQL strings that run as other roles.
CREATE TABLE tests.sessions (name text PRIMARY KEY, id uuid NOT NULL);
CREATE TABLE tests.msgs (name text PRIMARY KEY, id bigint NOT NULL);
CREATE FUNCTION tests.sid(name text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM tests.sessions s WHERE s.name = sid.name $$;
CREATE FUNCTION tests.mid(name text) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT id FROM tests.msgs m WHERE m.name = mid.name $$;
GRANT SELECT, INSERT ON tests.sessions, tests.msgs TO player, agent_service, bridge;
GRANT EXECUTE ON FUNCTION tests.sid(text), tests.mid(text) TO web_anon, player, agent_service, content_admin, bridge;

-- Races and NOTIFY, through real connections ======================================================
-- Each connection commits for real: its users are created and deleted again here, before the test
-- writes anything itself (its uncommitted rows could block them).

-- as the owner
SELECT tests.use_dblink();
SELECT tests.remote_connect(c) FROM unnest(ARRAY['setup', 'first', 'second', 'listener']) c;
SELECT tests.remote_exec('setup', $$DELETE FROM app.users WHERE display_name IN ('Tap07 Racer A', 'Tap07 Racer B')$$);  -- an aborted run's
-- The 'listener' connection reads the chat tail as the bridge does, from before the first message.
SELECT tests.remote_exec('listener', 'SET ROLE bridge');
SELECT tests.remember('RacerA', tests.remote_value('setup',
  $$INSERT INTO app.users (display_name, avatar_sprite) VALUES ('Tap07 Racer A', 'brendan') RETURNING id$$)::uuid);
SELECT tests.remember('RacerB', tests.remote_value('setup',
  $$INSERT INTO app.users (display_name, avatar_sprite) VALUES ('Tap07 Racer B', 'may') RETURNING id$$)::uuid);

CREATE TABLE tests.race (name text PRIMARY KEY, value text);
INSERT INTO tests.race VALUES ('first_pid', tests.remote_value('first', 'SELECT pg_backend_pid()')),
                              ('second_pid', tests.remote_value('second', 'SELECT pg_backend_pid()')),
                              ('feed_since', tests.remote_value('listener', $$SELECT realtime.chat_stamp(true)$$));
CREATE FUNCTION tests.race(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM tests.race r WHERE r.name = race.name $$;

-- Two start_chat calls for the same agent: the first holds its new session uncommitted, the second
-- blocks on the unique index until the first commits.
SELECT tests.remote_begin('first', 'player', tests.id_of('RacerA'));
INSERT INTO tests.race VALUES ('agent_first', tests.remote_value('first', $$SELECT (api.start_chat(agent_slug => 'scout')).id$$));
SELECT tests.remote_begin('second', 'player', tests.id_of('RacerA'));
SELECT tests.dblink_send_query('second', $$SELECT (api.start_chat(agent_slug => 'scout')).id$$);
SELECT is(tests.blocked_by(tests.race('second_pid')::integer), ARRAY[tests.race('first_pid')::integer],
  'a second start_chat for the same agent waits for the first call''s uncommitted session');
SELECT tests.remote_exec('first', 'COMMIT');
INSERT INTO tests.race SELECT 'agent_second', v FROM tests.dblink_get_result('second') AS t(v text);
SELECT count(*) FROM tests.dblink_get_result('second') AS t(v text);  -- the end of the results frees the connection
SELECT tests.remote_exec('second', 'COMMIT');
SELECT is(tests.race('agent_second'), tests.race('agent_first'), 'the waiting start_chat returns the session the first one created');
SELECT results_eq(format($$SELECT s.id::text, count(m.id)::integer, min(m.sender_type) FROM app.chat_sessions s
                            LEFT JOIN app.chat_messages m ON m.session_id = s.id WHERE s.user_id = %L GROUP BY s.id$$, tests.id_of('RacerA')),
  format($$VALUES (%L, 1, 'agent')$$, tests.race('agent_first')),
  'two racing start_chat calls for one agent leave a single session with a single greeting');

-- Two start_chat calls for one pair of players, from both ends. A remote error answers NULL here,
-- so that a failing start_chat fails these assertions instead of aborting the file.
SELECT tests.remote_begin('first', 'player', tests.id_of('RacerA'));
INSERT INTO tests.race VALUES ('pair_first', tests.remote_try('first',
  format($$SELECT (api.start_chat(other_user_id => %L)).id$$, tests.id_of('RacerB'))));
SELECT tests.remote_begin('second', 'player', tests.id_of('RacerB'));
SELECT tests.dblink_send_query('second', format($$SELECT (api.start_chat(other_user_id => %L)).id$$, tests.id_of('RacerA')));
SELECT is(tests.blocked_by(tests.race('second_pid')::integer, interval '2 seconds'), ARRAY[tests.race('first_pid')::integer],
  'B starting a chat with A waits for A''s uncommitted chat with B');
SELECT tests.remote_exec('first', 'COMMIT');
INSERT INTO tests.race SELECT 'pair_second', v FROM tests.dblink_get_result('second', false) AS t(v text);
SELECT count(*) FROM tests.dblink_get_result('second', false) AS t(v text);
SELECT tests.remote_exec('second', 'COMMIT');
SELECT ok(tests.race('pair_first') IS NOT NULL AND tests.race('pair_second') = tests.race('pair_first'),
  'A''s start_chat with B answers a session, and B racing with A gets that same session');
SELECT results_eq(format($$SELECT count(*)::integer FROM app.chat_sessions WHERE type = 'private' AND %L IN (user_id, other_user_id)$$,
                         tests.id_of('RacerB')),
  ARRAY[1], 'two racing start_chat calls for one pair leave a single private session');

-- The pair's session for the NOTIFY test: opened as the owner if start_chat failed above.
SELECT tests.remote_exec('setup', format($$INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', %L, %L)
                                           ON CONFLICT DO NOTHING$$, tests.id_of('RacerA'), tests.id_of('RacerB')));
INSERT INTO tests.race VALUES ('pair', tests.remote_value('setup',
  format($$SELECT id FROM app.chat_sessions WHERE type = 'private' AND %L IN (user_id, other_user_id)$$, tests.id_of('RacerA'))));

-- The chat tail: each stored message reaches the bridge through realtime.chat_stream with its
-- audience, decided by what the transaction that stored it wrote. Each request below commits on its own.
SELECT tests.remote_begin('first', 'player', tests.id_of('RacerA'));
SELECT tests.remote_value('first', format($$SELECT id FROM api.send_message(%L, 'hello B')$$, tests.race('pair')));
SELECT tests.remote_value('first', format($$SELECT id FROM api.send_message(%L, 'hello Scout')$$, tests.race('agent_first')));
SELECT tests.remote_exec('first', 'COMMIT');
SELECT tests.remote_begin('first', 'agent_service');
SELECT tests.remote_value('first', format($$SELECT id FROM api.post_agent_reply(%L, 'hello A')$$, tests.race('agent_first')));
SELECT tests.remote_exec('first', 'COMMIT');
SELECT tests.remote_begin('first', 'player', tests.id_of('RacerA'));
SELECT tests.remote_value('first', format($$SELECT id FROM api.send_message(%L, repeat('ü', 4000))$$, tests.race('pair')));
SELECT tests.remote_exec('first', 'COMMIT');
SELECT tests.remote_begin('first', 'player', tests.id_of('RacerB'));
SELECT tests.remote_value('first', $$SELECT api.enter_room('town')$$);
SELECT tests.remote_exec('first', 'COMMIT');
SELECT tests.remote_begin('first', 'player', tests.id_of('RacerA'));
SELECT tests.remote_value('first', $$SELECT api.enter_room('town')$$);
SELECT tests.remote_value('first', $$SELECT api.say_nearby('psst')$$);
SELECT tests.remote_exec('first', 'COMMIT');

SELECT tests.remote_value('listener', 'SELECT realtime.chat_stamp(true)');  -- the tail stamps, then reads
SELECT is(
  (SELECT jsonb_agg(jsonb_build_object('message_id', f -> 'message_id',
                                       'audience', (SELECT jsonb_agg(u ORDER BY u) FROM jsonb_array_elements_text(f -> 'audience') u),
                                       'agent_service', f -> 'agent_service',
                                       'message', f -> 'message') ORDER BY (f ->> 'message_id')::bigint)
     FROM jsonb_array_elements(tests.remote_value('listener',
            format($$SELECT realtime.chat_stream(%s)::text$$, tests.race('feed_since')))::jsonb) f
    WHERE (f ->> 'message_id')::bigint IN (SELECT m.id FROM app.chat_messages m JOIN app.chat_sessions s ON s.id = m.session_id
                                            WHERE s.user_id = tests.id_of('RacerA'))),
  (SELECT jsonb_agg(jsonb_build_object('message_id', m.id,
                                       'audience', (SELECT jsonb_agg(u ORDER BY u) FROM unnest(e.audience) u),
                                       'agent_service', e.agent_service,
                                       'message', app.chat_message_json(m)) ORDER BY m.id)
     FROM app.chat_messages m
     JOIN app.chat_sessions s ON s.id = m.session_id
     JOIN (VALUES
       -- content              audience                                        agent_service
       ('Hi, I''m Scout. Tell me what you want to find out and I''ll dig up sources.',
                               ARRAY[tests.id_of('RacerA')],                   false),
       ('hello B',             ARRAY[tests.id_of('RacerA'), tests.id_of('RacerB')], false),
       ('hello Scout',         ARRAY[tests.id_of('RacerA')],                   true),
       ('hello A',             ARRAY[tests.id_of('RacerA')],                   false),
       (repeat('ü', 4000),     ARRAY[tests.id_of('RacerA'), tests.id_of('RacerB')], false),
       ('psst',                ARRAY[tests.id_of('RacerA'), tests.id_of('RacerB')], false)
     ) AS e(content, audience, agent_service) ON e.content = m.content
    WHERE s.user_id = tests.id_of('RacerA')),
  'the chat tail carries each message once, in order, whole, with exactly its audience: the greeting and the agent''s reply to the user, a private message to both, a user''s message in an agent session to the agent worker too, a proximity message to the speaker and who heard it, a 4000-character message too');

SELECT tests.remote_exec('setup', format('DELETE FROM app.users WHERE id IN (%L, %L)', tests.id_of('RacerA'), tests.id_of('RacerB')));
SELECT tests.remote_exec('listener', 'RESET ROLE');
SELECT tests.remote_disconnect(c) FROM unnest(ARRAY['setup', 'first', 'second', 'listener']) c;
SELECT is_empty(format($$SELECT FROM app.users WHERE id IN (%1$L, %2$L)
                         UNION ALL SELECT FROM app.chat_sessions WHERE %1$L IN (user_id, other_user_id) OR %2$L IN (user_id, other_user_id)
                         UNION ALL SELECT FROM app.player_presence WHERE user_id IN (%1$L, %2$L)
                         UNION ALL SELECT FROM app.rate_limit_state WHERE user_id IN (%1$L, %2$L)$$,
                       tests.id_of('RacerA'), tests.id_of('RacerB')),
  'the committed users, sessions, presence and rate-limit state of the race and NOTIFY tests are gone again');

-- Setup, as the owner =============================================================================

SELECT tests.create_user(n) FROM unnest(ARRAY['Ann', 'Ben', 'Cat', 'Dan', 'Eve']) n;
-- For proximity chat.
SELECT tests.create_user(n) FROM unnest(ARRAY['Sam', 'Ivy', 'Ona', 'Abe', 'Bus', 'Otto', 'Olaf', 'Rhea']) n;
INSERT INTO app.agents (slug, name, role, emoji, sprite_key, greeting, routing_keywords, is_active)
VALUES ('ghost', 'Ghost', 'Retired', 'x', 'archie', 'Boo.', '{research,papers,find,write}', false);
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y) VALUES
  ('plaza', 'Plaza', 'plaza', 30, 30, 1, 1),
  ('annex', 'Annex', 'annex', 20, 20, 1, 1);
CREATE FUNCTION tests.room_id(slug text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM app.rooms r WHERE r.slug = room_id.slug $$;
CREATE FUNCTION tests.agent_id(slug text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM app.agents a WHERE a.slug = agent_id.slug $$;
GRANT EXECUTE ON FUNCTION tests.room_id(text), tests.agent_id(text) TO player, agent_service, bridge;

-- Runs a statement and undoes it whatever happens; answers its error as tests.error_of does, or NULL.
CREATE FUNCTION tests.try(sql text) RETURNS jsonb
  LANGUAGE plpgsql AS $$
DECLARE
  outcome jsonb;
BEGIN
  BEGIN
    outcome := tests.error_of(sql);
    RAISE EXCEPTION USING ERRCODE = 'T0001';
  EXCEPTION WHEN SQLSTATE 'T0001' THEN
    NULL;
  END;
  RETURN outcome;
END
$$;
GRANT EXECUTE ON FUNCTION tests.try(text) TO player, agent_service;

-- The id of the session api.start_chat(other_user_id) answers the current user, or NULL when it raises.
CREATE FUNCTION tests.start_private(other uuid) RETURNS uuid
  LANGUAGE plpgsql AS $$
BEGIN
  RETURN (api.start_chat(other_user_id => other)).id;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION tests.start_private(uuid) TO player;

-- Opens a private session as the owner and records it by name: setup for the tests of other functions,
-- so that they do not depend on start_chat.
CREATE FUNCTION tests.open_private(name text, starter text, other text) RETURNS uuid
  LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$
  INSERT INTO tests.sessions (name, id)
  SELECT open_private.name, s.id FROM app.chat_sessions s
   WHERE s.type = 'private' AND least(s.user_id, s.other_user_id) = least(tests.id_of(starter), tests.id_of(other))
     AND greatest(s.user_id, s.other_user_id) = greatest(tests.id_of(starter), tests.id_of(other))
  ON CONFLICT DO NOTHING;
  INSERT INTO app.chat_sessions (type, user_id, other_user_id)
  SELECT 'private', tests.id_of(starter), tests.id_of(other) WHERE tests.sid(open_private.name) IS NULL;
  INSERT INTO tests.sessions (name, id)
  SELECT open_private.name, s.id FROM app.chat_sessions s
   WHERE s.type = 'private' AND s.user_id = tests.id_of(starter) AND s.other_user_id = tests.id_of(other)
  ON CONFLICT DO NOTHING;
  SELECT tests.sid(open_private.name);
$$;
GRANT EXECUTE ON FUNCTION tests.open_private(text, text, text) TO player;

-- api.start_chat with an agent ====================================================================

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ann'));
INSERT INTO tests.sessions SELECT 'ann_scout', id FROM api.start_chat(agent_slug => 'scout');

SELECT results_eq($$SELECT type, user_id, agent_id, agent_slug::text, other_user_id, room_id, last_message_at = now(),
                           last_message ->> 'sender_name', last_message ->> 'content', unread_count
                      FROM api.chat_sessions WHERE id = tests.sid('ann_scout')$$,
  $$VALUES ('agent', tests.id_of('Ann'), tests.agent_id('scout'), 'scout', NULL::uuid, NULL::uuid, true,
            'Scout', 'Hi, I''m Scout. Tell me what you want to find out and I''ll dig up sources.', 1)$$,
  'start_chat with an agent creates the player''s agent session, its greeting is the last message and unread');
SELECT results_eq($$SELECT type, sender_type, sender_id, sender_name, content FROM api.chat_messages WHERE session_id = tests.sid('ann_scout')$$,
  $$VALUES ('agent', 'agent', tests.agent_id('scout'), 'Scout', 'Hi, I''m Scout. Tell me what you want to find out and I''ll dig up sources.')$$,
  'the new session holds exactly one message: the greeting, sent by the agent under its name');
SELECT results_eq($$SELECT id, unread_count, last_message ->> 'content' FROM api.start_chat(agent_slug => 'scout')$$,
  $$VALUES (tests.sid('ann_scout'), 1, 'Hi, I''m Scout. Tell me what you want to find out and I''ll dig up sources.')$$,
  'a second start_chat with the same agent returns the same session, as GET /chat_sessions shows it');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq(format($$SELECT count(DISTINCT s.id)::integer, count(m.id)::integer FROM app.chat_sessions s
                            LEFT JOIN app.chat_messages m ON m.session_id = s.id WHERE s.user_id = %L$$, tests.id_of('Ann')),
  $$VALUES (1, 1)$$, 'the second call added no session and no second greeting');

-- api.start_chat with another player ==============================================================

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT is(tests.error_of($$INSERT INTO tests.sessions SELECT 'ann_ben', id FROM api.start_chat(other_user_id => tests.id_of('Ben'))$$), NULL,
  'start_chat with another player answers a session');
SELECT tests.open_private('ann_ben', 'Ann', 'Ben');  -- only if the call above failed: the tests below need the session
SELECT results_eq($$SELECT type, user_id, agent_id, agent_slug::text, other_user_id, last_message_at, last_message, unread_count
                      FROM api.chat_sessions WHERE id = tests.sid('ann_ben')$$,
  $$VALUES ('private', tests.id_of('Ann'), NULL::uuid, NULL::text, tests.id_of('Ben'), NULL::timestamptz, NULL::jsonb, 0)$$,
  'a private session is the caller''s with the other player, without a greeting');
SELECT is(tests.start_private(tests.id_of('Ben')), tests.sid('ann_ben'),
  'a second start_chat with the same player returns the same session');

-- as the other player
SELECT tests.authenticate_as(tests.id_of('Ben'));
SELECT is(tests.start_private(tests.id_of('Ann')), tests.sid('ann_ben'),
  'B starting a chat with A gets A''s session: one session per unordered pair');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq(format($$SELECT count(*)::integer FROM app.chat_sessions WHERE type = 'private' AND %L IN (user_id, other_user_id)$$,
                         tests.id_of('Ben')),
  ARRAY[1], 'the pair has one private session');
SELECT is_empty(format('SELECT FROM app.chat_messages WHERE session_id = %L', tests.sid('ann_ben')), 'a private session starts empty');

-- api.start_chat: rejections ======================================================================

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT tests.api_throws_ok(c.call, c.state, c.message, c.why)
  FROM (VALUES
    ($$SELECT api.start_chat(agent_slug => 'scout', other_user_id => tests.id_of('Ben'))$$, '22023',
     'send exactly one of agent_slug and other_user_id', 'start_chat refuses both an agent and a player'),
    ($$SELECT api.start_chat()$$, '22023', 'send exactly one of agent_slug and other_user_id', 'start_chat refuses neither'),
    ($$SELECT api.start_chat(agent_slug => 'nobody')$$, 'PT404', 'unknown agent', 'start_chat answers 404 for an unknown agent'),
    ($$SELECT api.start_chat(agent_slug => 'ghost')$$, 'PT404', 'unknown agent', 'start_chat answers 404 for an inactive agent'),
    ($$SELECT api.start_chat(other_user_id => '00000000-0000-4000-8000-00000000beef')$$, 'PT404',
     'unknown user', 'start_chat answers 404 for an unknown user'),
    ($$SELECT api.start_chat(other_user_id => tests.id_of('Ann'))$$, '22023', 'you cannot start a private chat with yourself',
     'start_chat refuses a chat with oneself')
  ) AS c(call, state, message, why);

-- as a player whose account was deleted
SELECT tests.authenticate_as('00000000-0000-4000-8000-000000000d0d');
SELECT tests.api_throws_ok($$SELECT api.start_chat(agent_slug => 'scout')$$, 'PT401', 'this account no longer exists',
  'start_chat with the token of a deleted account answers 401');

-- as web_anon and agent_service
SELECT tests.clear_authentication();
SELECT throws_ok($$SELECT api.start_chat(agent_slug => 'scout')$$, '42501', 'permission denied for function start_chat',
  'web_anon may not start a chat');
SELECT tests.authenticate_service('agent_service');
SELECT throws_ok($$SELECT api.start_chat(agent_slug => 'scout')$$, '42501', 'permission denied for function start_chat',
  'agent_service may not start a chat');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq(format('SELECT count(*)::integer FROM app.chat_sessions WHERE %L IN (user_id, other_user_id)', tests.id_of('Ann')),
  ARRAY[2], 'the refused start_chat calls created no session');

-- api.send_message ================================================================================

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ann'));
INSERT INTO tests.msgs SELECT 'ann_hello', id FROM api.send_message(tests.sid('ann_ben'), 'Hello Ben');
SELECT results_eq($$SELECT session_id, type, sender_type, sender_id, sender_name, content, created_at FROM api.chat_messages
                     WHERE id = tests.mid('ann_hello')$$,
  $$VALUES (tests.sid('ann_ben'), 'private', 'user', tests.id_of('Ann'), 'Ann', 'Hello Ben', now())$$,
  'send_message stores the message as the caller, under their current name');
SELECT results_eq($$SELECT session_id, type, sender_type, sender_id, sender_name, content
                      FROM api.send_message(tests.sid('ann_ben'), E'line one\nline two')$$,
  $$VALUES (tests.sid('ann_ben'), 'private', 'user', tests.id_of('Ann'), 'Ann', E'line one\nline two')$$,
  'send_message answers the stored message, newlines allowed');
SELECT lives_ok($$SELECT api.send_message(tests.sid('ann_scout'), repeat('ü', 4000))$$,
  'send_message accepts 4000 characters (not bytes) into an agent session');

-- The name is the sender's at the time of sending.
SELECT lives_ok($$UPDATE api.me SET display_name = 'Annabel'$$, 'the player renames themselves');
INSERT INTO tests.msgs SELECT 'annabel_hello', id FROM api.send_message(tests.sid('ann_ben'), 'It''s Annabel now');
SELECT results_eq($$SELECT sender_name FROM api.chat_messages WHERE id IN (tests.mid('ann_hello'), tests.mid('annabel_hello')) ORDER BY id$$,
  ARRAY['Ann', 'Annabel'], 'the earlier message keeps the old name; the new one has the new name');
UPDATE api.me SET display_name = 'Ann';

-- as the other player
SELECT tests.authenticate_as(tests.id_of('Ben'));
SELECT results_eq($$SELECT last_message_at = now(), last_message ->> 'content', last_message ->> 'sender_name', unread_count
                      FROM api.chat_sessions WHERE id = tests.sid('ann_ben')$$,
  $$VALUES (true, 'It''s Annabel now', 'Annabel', 3)$$,
  'the other participant sees the session''s last message and three unread');
INSERT INTO tests.msgs SELECT 'ben_reply', id FROM api.send_message(tests.sid('ann_ben'), 'Hi Ann');
SELECT results_eq($$SELECT sender_id, sender_name FROM api.chat_messages WHERE id = tests.mid('ben_reply')$$,
  $$VALUES (tests.id_of('Ben'), 'Ben')$$, 'the other participant answers in the same session');

-- rejections: bad content (as a player)
SELECT tests.as_owner();
CREATE TABLE tests.bad_contents (content text, shown text, message text);
GRANT SELECT ON tests.bad_contents TO player, agent_service;
INSERT INTO tests.bad_contents VALUES
  ('',                 'empty content',             'content must not be empty'),
  ('   ',              'spaces only',               'content must not be empty'),
  (E' \t\n\r ',        'whitespace only',           'content must not be empty'),
  (NULL,               'NULL content',              'content must not be empty'),
  (repeat('x', 4001),  '4001 characters',           'content is 4001 characters long; the limit is 4000'),
  (E'a\tb',            'a tab',                     'content must not contain control characters other than newline'),
  (E'a\rb',            'a carriage return',         'content must not contain control characters other than newline'),
  (E'a\r\nb',          'a CRLF line end',           'content must not contain control characters other than newline'),
  (E'a\u0001b',        'U+0001',                    'content must not contain control characters other than newline'),
  (E'ding\u0007',      'a bell',                    'content must not contain control characters other than newline'),
  (E'\u001b[31mred',   'an escape sequence',        'content must not contain control characters other than newline'),
  (E'a\u007fb',        'a delete character',        'content must not contain control characters other than newline');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT throws_ok(format('SELECT api.send_message(tests.sid(%L), %L)', 'ann_ben', b.content), '22023', b.message,
  format('send_message refuses %s', b.shown))
  FROM tests.bad_contents b;
SELECT throws_ok($$SELECT api.send_message(tests.sid('ann_ben'), '{"c": "a\u0000b"}'::json ->> 'c')$$, '22P05',
  'unsupported Unicode escape sequence', 'a NUL character never reaches send_message: JSON \u0000 does not convert to text');
-- C1 controls (U+0080 to U+009F) are control characters too; U+009B is the 8-bit CSI that starts
-- terminal escape sequences, like ESC [.
SELECT is(tests.try($$SELECT api.send_message(tests.sid('ann_ben'), E'a\u009b31mb')$$) ->> 'message',
  'content must not contain control characters other than newline',
  'send_message refuses a C1 control character (U+009B, CSI)');

-- rejections: sessions that are not the caller's
SELECT tests.api_throws_ok(format('SELECT api.send_message(%s, ''hi'')', s.session), 'PT404', s.message, s.why)
  FROM (VALUES
    ($$'00000000-0000-4000-8000-00000000beef'$$, 'unknown chat session',
     'send_message answers 404 for an unknown session'),
    ('NULL', 'unknown chat session', 'send_message answers 404 for a missing session id')) AS s(session, message, why);

-- as a stranger
SELECT tests.authenticate_as(tests.id_of('Cat'));
SELECT tests.api_throws_ok($$SELECT api.send_message(tests.sid('ann_ben'), 'let me in')$$, 'PT404',
  'unknown chat session', 'send_message answers 404 for someone else''s private session');
SELECT tests.api_throws_ok($$SELECT api.send_message(tests.sid('ann_scout'), 'let me in')$$, 'PT404',
  'unknown chat session', 'send_message answers 404 for someone else''s agent session');
SELECT is(tests.error_of($$SELECT api.send_message(tests.sid('ann_ben'), 'let me in')$$) - 'message' - 'detail',
          tests.error_of($$SELECT api.send_message('00000000-0000-4000-8000-00000000beef', 'let me in')$$) - 'message' - 'detail',
  'someone else''s session answers exactly like a missing one (code, status, headers and hint; details repeat the id sent)');

-- as agent_service
SELECT tests.authenticate_service('agent_service');
SELECT throws_ok($$SELECT api.send_message(tests.sid('ann_scout'), 'I am Ann')$$, '42501', 'permission denied for function send_message',
  'agent_service may not send as a user');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq(format($$SELECT count(*)::integer FROM app.chat_messages WHERE session_id = %L$$, tests.sid('ann_ben')),
  ARRAY[4], 'the refused calls stored nothing');

-- a proximity session takes messages only through say_nearby
INSERT INTO app.chat_sessions (type, user_id, room_id) VALUES ('proximity', tests.id_of('Ann'), tests.room_id('annex'));
INSERT INTO tests.sessions SELECT 'ann_prox', id FROM app.chat_sessions WHERE type = 'proximity' AND user_id = tests.id_of('Ann');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT throws_ok($$SELECT api.send_message(tests.sid('ann_prox'), 'hi')$$, '22023', 'proximity sessions take messages through say_nearby',
  'send_message refuses the player''s own proximity session');

-- rate limit on send_message ======================================================================

-- as a player: 20 messages at once pass, the 21st is refused.
SELECT tests.authenticate_as(tests.id_of('Dan'));
SELECT tests.open_private('dan_ann', 'Dan', 'Ann');
SELECT lives_ok($$SELECT api.send_message(tests.sid('dan_ann'), format('message %s', n)) FROM generate_series(1, 20) n$$,
  '20 messages within the same instant pass');
SELECT tests.api_throws_ok($$SELECT api.send_message(tests.sid('dan_ann'), 'one too many')$$, 'PT429',
  'rate limit exceeded', 'the 21st message within 10 s is refused with PT429 (HTTP 429)');
SELECT is(tests.error_of($$SELECT api.send_message(tests.sid('dan_ann'), 'one too many')$$) -> 'headers', '{"Retry-After": "1"}',
  'it answers with a Retry-After: 1 header: one more message is allowed 0.5 s later');
SELECT is((tests.error_of($$SELECT api.send_message(tests.sid('dan_ann'), 'one too many')$$) ->> 'detail')::jsonb, '{"retry_after": 1}',
  'its details are the JSON text {"retry_after": 1}');
SELECT is(tests.error_of($$SELECT api.send_message(tests.sid('dan_ann'), 'one too many')$$) ->> 'hint', 'At most 20 send_message per 00:00:10. Try again in 1 seconds (retry_after=1).',
  'its hint repeats retry_after');

-- as the owner: nothing stored, and the state is a row.
SELECT tests.as_owner();
SELECT results_eq(format($$SELECT count(*)::integer FROM app.chat_messages WHERE session_id = %L$$, tests.sid('dan_ann')),
  ARRAY[20], 'the refused message was not stored');
SELECT results_eq(format($$SELECT tat - now() FROM app.rate_limit_state WHERE user_id = %L AND action = 'send_message'$$, tests.id_of('Dan')),
  ARRAY[interval '10 seconds'],
  'the limiter''s state is a row of app.rate_limit_state (it survives restarts): 20 x 0.5 s ahead, the refused calls not counted');

-- as another player: limits are per user
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT lives_ok($$SELECT api.send_message(tests.sid('dan_ann'), 'I can still talk')$$, 'another user is not limited by Dan''s messages');

-- half a second later (the state moved back as the owner), one more passes, then none
SELECT tests.as_owner();
UPDATE app.rate_limit_state SET tat = tat - interval '500 milliseconds' WHERE user_id = tests.id_of('Dan') AND action = 'send_message';
SELECT tests.authenticate_as(tests.id_of('Dan'));
SELECT lives_ok($$SELECT api.send_message(tests.sid('dan_ann'), 'after half a second')$$, '0.5 s later, one more message passes');
SELECT tests.api_throws_ok($$SELECT api.send_message(tests.sid('dan_ann'), 'and another')$$, 'PT429',
  'rate limit exceeded', '... and the next one is refused again');

-- refused calls do not count against the limit
SELECT tests.as_owner();
SELECT results_eq(format($$SELECT count(*)::integer FROM app.rate_limit_state WHERE user_id = %L$$, tests.id_of('Cat')),
  ARRAY[0], 'calls refused for someone else''s session leave no limiter state');
SELECT results_eq(format($$SELECT tat - now() FROM app.rate_limit_state WHERE user_id = %L AND action = 'send_message'$$, tests.id_of('Ann')),
  ARRAY[interval '2.5 seconds'], 'only the player''s five stored messages counted, none of the refused bad input');

-- the rule is a row: change it and the new limit applies
UPDATE app.rate_limit_rules SET max_events = 3 WHERE action = 'send_message';
SELECT tests.authenticate_as(tests.id_of('Eve'));
SELECT tests.open_private('eve_ann', 'Eve', 'Ann');
SELECT lives_ok($$SELECT api.send_message(tests.sid('eve_ann'), format('message %s', n)) FROM generate_series(1, 3) n$$,
  'with the rule changed to 3 per 10 s, 3 messages pass');
SELECT is(tests.error_of($$SELECT api.send_message(tests.sid('eve_ann'), 'fourth')$$) - 'hint',
  '{"sqlstate": "PT429", "message": "rate limit exceeded", "detail": "{\"retry_after\": 4}", "status": 429,
    "status_text": "Too Many Requests", "headers": {"Retry-After": "4"}}'::jsonb,
  '... and the 4th is refused, with retry_after 4 (the next slot is 4 x 3.33 s - 10 s away)');
SELECT tests.as_owner();
UPDATE app.rate_limit_rules SET max_events = 20 WHERE action = 'send_message';

-- api.say_nearby ==================================================================================

-- as the owner: Sam speaks at (10, 10) in plaza (proximity_radius 5).
INSERT INTO app.player_presence (user_id, room_id, x, y, status)
SELECT tests.id_of(p.name), tests.room_id(p.room), p.x, p.y, p.status::app.presence_status
  FROM (VALUES
    ('Sam',  'plaza', 10, 10, 'online'),   -- the speaker
    ('Ivy',  'plaza', 11, 10, 'online'),   -- inside
    ('Ona',  'plaza', 13, 14, 'online'),   -- exactly on the radius (3, 4, 5)
    ('Abe',  'plaza', 10, 15, 'away'),     -- on the radius, away
    ('Bus',  'plaza', 15, 10, 'busy'),     -- on the radius, busy
    ('Otto', 'plaza', 14, 14, 'online'),   -- just outside (5.66)
    ('Olaf', 'plaza', 10, 11, 'offline'),  -- next to the speaker, offline
    ('Rhea', 'annex', 10, 10, 'online')    -- same spot, another room
  ) AS p(name, room, x, y, status);

-- as a player in a room
SELECT tests.authenticate_as(tests.id_of('Sam'));
SELECT api.say_nearby('Hello, neighbours') AS said \gset
INSERT INTO tests.msgs VALUES ('sam_1', (:'said'::jsonb -> 'message' ->> 'id')::bigint);
SELECT is(:'said'::jsonb -> 'recipients',
  (SELECT jsonb_agg(tests.id_of(n) ORDER BY tests.id_of(n)) FROM unnest(ARRAY['Ivy', 'Ona', 'Abe', 'Bus']) n),
  'say_nearby''s recipients are exactly the players in the room within the radius who are not offline, the radius included');
SELECT is((:'said'::jsonb -> 'message') - 'id' - 'session_id' - 'created_at',
  jsonb_build_object('type', 'proximity', 'sender_type', 'user', 'sender_id', tests.id_of('Sam'), 'sender_name', 'Sam',
                     'content', 'Hello, neighbours'),
  'say_nearby answers the stored message');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq($$SELECT u.name FROM app.chat_message_recipients r JOIN tests.actors u ON u.id = r.user_id
                     WHERE r.message_id = tests.mid('sam_1') ORDER BY u.name$$,
  ARRAY['Abe', 'Bus', 'Ivy', 'Ona'], 'the recipients are recorded in app.chat_message_recipients');
SELECT results_eq(format($$SELECT type, room_id FROM app.chat_sessions WHERE id = (SELECT session_id FROM app.chat_messages WHERE id = %s)$$,
                         tests.mid('sam_1')),
  $$VALUES ('proximity', tests.room_id('plaza'))$$, 'the message went into the speaker''s proximity session of the room');
INSERT INTO tests.sessions SELECT 'sam_plaza', session_id FROM app.chat_messages WHERE id = tests.mid('sam_1');

-- Ivy walks away, Otto comes closer: the next message reaches who is near then.
UPDATE app.player_presence SET x = 25 WHERE user_id = tests.id_of('Ivy');
UPDATE app.player_presence SET x = 13 WHERE user_id = tests.id_of('Otto');
SELECT tests.authenticate_as(tests.id_of('Sam'));
SELECT api.say_nearby('Anyone else?') AS said \gset
INSERT INTO tests.msgs VALUES ('sam_2', (:'said'::jsonb -> 'message' ->> 'id')::bigint);
SELECT tests.as_owner();
SELECT results_eq($$SELECT u.name FROM app.chat_message_recipients r JOIN tests.actors u ON u.id = r.user_id
                     WHERE r.message_id = tests.mid('sam_2') ORDER BY u.name$$,
  ARRAY['Abe', 'Bus', 'Ona', 'Otto'], 'each message records who was near when it was said');
SELECT results_eq($$SELECT u.name FROM app.chat_message_recipients r JOIN tests.actors u ON u.id = r.user_id
                     WHERE r.message_id = tests.mid('sam_1') ORDER BY u.name$$,
  ARRAY['Abe', 'Bus', 'Ivy', 'Ona'], '... and leaves the recipients of earlier messages as they were');
SELECT is((SELECT session_id FROM app.chat_messages WHERE id = tests.mid('sam_2')), tests.sid('sam_plaza'),
  'the speaker''s messages in one room share one proximity session');

-- the radius is the room's
UPDATE app.rooms SET proximity_radius = 1 WHERE slug = 'annex';
UPDATE app.player_presence SET room_id = tests.room_id('annex'), x = 11, y = 11 WHERE user_id = tests.id_of('Ivy');
UPDATE app.player_presence SET room_id = tests.room_id('annex'), x = 11, y = 10 WHERE user_id = tests.id_of('Otto');
SELECT tests.authenticate_as(tests.id_of('Rhea'));
SELECT is(api.say_nearby('Psst') -> 'recipients', jsonb_build_array(tests.id_of('Otto')),
  'with proximity_radius 1, only the player one tile away hears; the one on the diagonal (1.41) does not');
SELECT tests.as_owner();
SELECT results_eq(format($$SELECT count(*)::integer FROM app.chat_sessions WHERE type = 'proximity' AND user_id = %L$$, tests.id_of('Rhea')),
  ARRAY[1], 'another speaker in another room gets a proximity session of their own');

-- rejections
SELECT tests.authenticate_as(tests.id_of('Olaf'));
SELECT throws_ok($$SELECT api.say_nearby('Can you hear me?')$$, '22023', 'enter a room before talking to people nearby',
  'say_nearby refuses a player who is offline');
SELECT tests.authenticate_as(tests.id_of('Cat'));
SELECT throws_ok($$SELECT api.say_nearby('Can you hear me?')$$, '22023', 'enter a room before talking to people nearby',
  'say_nearby refuses a player who never entered a room');
SELECT tests.authenticate_as(tests.id_of('Sam'));
SELECT throws_ok(format('SELECT api.say_nearby(%L)', b.content), '22023', b.message, format('say_nearby refuses %s', b.shown))
  FROM tests.bad_contents b WHERE b.shown IN ('whitespace only', '4001 characters', 'a tab');

-- rate limit: 5 per 10 s; Sam has said 2
SELECT lives_ok($$SELECT api.say_nearby(format('again %s', n)) FROM generate_series(3, 5) n$$, 'the 3rd to 5th message within 10 s pass');
SELECT is(tests.error_of($$SELECT api.say_nearby('sixth')$$) - 'hint',
  '{"sqlstate": "PT429", "message": "rate limit exceeded", "detail": "{\"retry_after\": 2}", "status": 429,
    "status_text": "Too Many Requests", "headers": {"Retry-After": "2"}}'::jsonb,
  'the 6th is refused with PT429 and retry_after 2');
SELECT tests.as_owner();
SELECT results_eq(format($$SELECT count(*)::integer FROM app.chat_messages WHERE session_id = %L$$, tests.sid('sam_plaza')),
  ARRAY[5], 'the refused proximity message was not stored');
SELECT tests.authenticate_as(tests.id_of('Sam'));
SELECT tests.open_private('sam_ivy', 'Sam', 'Ivy');
SELECT lives_ok($$SELECT api.send_message(tests.sid('sam_ivy'), 'Private hello')$$,
  'the say_nearby limit is its own: the speaker may still send private messages');

-- as web_anon
SELECT tests.clear_authentication();
SELECT throws_ok($$SELECT api.say_nearby('hi')$$, '42501', 'permission denied for function say_nearby', 'web_anon may not say anything');

-- api.mark_read and unread counts =================================================================

-- as players: Ann writes to Cat, Cat answers twice.
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT tests.open_private('ann_cat', 'Ann', 'Cat');
INSERT INTO tests.msgs SELECT 'ac_1', id FROM api.send_message(tests.sid('ann_cat'), 'Hi Cat');
SELECT tests.authenticate_as(tests.id_of('Cat'));
INSERT INTO tests.msgs SELECT 'ac_2', id FROM api.send_message(tests.sid('ann_cat'), 'Hi Ann');
INSERT INTO tests.msgs SELECT 'ac_3', id FROM api.send_message(tests.sid('ann_cat'), 'How are you?');
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_cat')), 1,
  'unread counts only others'' messages: Cat has one unread (Ann''s), not her own two');

SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_cat')), 2, 'Ann has two unread');
SELECT is(api.mark_read(tests.sid('ann_cat'), tests.mid('ac_2')),
  jsonb_build_object('session_id', tests.sid('ann_cat'), 'last_read_message_id', tests.mid('ac_2')),
  'mark_read moves the marker and answers it');
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_cat')), 1, 'one unread left');
SELECT is(api.mark_read(tests.sid('ann_cat'), tests.mid('ac_1')) ->> 'last_read_message_id', tests.mid('ac_2')::text,
  'mark_read never moves the marker back');
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_cat')), 1, 'still one unread');
SELECT is(api.mark_read(tests.sid('ann_cat'), tests.mid('ac_3')) ->> 'last_read_message_id', tests.mid('ac_3')::text,
  'mark_read moves forward to the last message');
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_cat')), 0, 'nothing unread');

SELECT throws_ok(format('SELECT api.mark_read(tests.sid(''ann_cat''), %s)', m.message_id), '22023', m.message, m.why)
  FROM (VALUES
    (tests.mid('ann_hello')::text, 'the message is not in this session',
     'mark_read refuses a message of another of the player''s sessions'),
    ('9000000000', 'the message is not in this session', 'mark_read refuses an unknown message'),
    ('NULL', 'the message is not in this session', 'mark_read refuses a missing message id')) AS m(message_id, message, why);

-- as a stranger
SELECT tests.authenticate_as(tests.id_of('Ben'));
SELECT tests.api_throws_ok($$SELECT api.mark_read(tests.sid('ann_cat'), tests.mid('ac_3'))$$, 'PT404',
  'unknown chat session', 'mark_read answers 404 for someone else''s session');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq(format('SELECT user_id, last_read_message_id FROM app.chat_read_markers WHERE session_id = %L', tests.sid('ann_cat')),
  format('VALUES (%L::uuid, %s::bigint)', tests.id_of('Ann'), tests.mid('ac_3')),
  'the session has one read marker, Ann''s, at the last message');

-- api.chat_sessions: order and previews ===========================================================

-- as the owner: spread the sessions over time (every message of this transaction has the same time).
SELECT hasnt_column('app', 'chat_sessions', 'last_message_at',
  'sessions keep no last_message_at of their own: no message has to update its session');
UPDATE app.chat_messages m SET created_at = now() - t.ago
  FROM (VALUES ('ann_cat', interval '1 minute'), ('ann_scout', interval '2 minutes'), ('dan_ann', interval '3 minutes'),
               ('ann_ben', interval '4 minutes'), ('eve_ann', interval '5 minutes')) AS t(name, ago)
 WHERE m.session_id = tests.sid(t.name);
INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', tests.id_of('Rhea'), tests.id_of('Ann'));
INSERT INTO tests.sessions SELECT 'rhea_ann', id FROM app.chat_sessions WHERE user_id = tests.id_of('Rhea') AND type = 'private';

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT results_eq('SELECT id FROM api.chat_sessions',
  ARRAY[tests.sid('ann_cat'), tests.sid('ann_scout'), tests.sid('dan_ann'), tests.sid('ann_ben'), tests.sid('eve_ann')]
    || ARRAY(SELECT unnest(ARRAY[tests.sid('rhea_ann'), tests.sid('ann_prox')]) ORDER BY 1),
  'api.chat_sessions lists the player''s sessions, newest last_message_at first, those without messages last (by id)');
SELECT results_eq($$SELECT s.id, s.last_message_at, s.last_message ->> 'id'
                      FROM api.chat_sessions s ORDER BY s.id$$,
  $$SELECT s.id, last.created_at, last.id::text
      FROM app.chat_sessions s
      LEFT JOIN LATERAL (SELECT m.id, m.created_at FROM app.chat_messages m
                          WHERE m.session_id = s.id ORDER BY m.id DESC LIMIT 1) last ON true
     WHERE tests.id_of('Ann') IN (s.user_id, s.other_user_id)
     ORDER BY s.id$$,
  'last_message_at is the time of the session''s newest message (null without one), and the preview is that message');
SELECT results_eq($$SELECT n, (SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid(n))
                      FROM unnest(ARRAY['ann_scout', 'ann_ben', 'dan_ann', 'eve_ann', 'rhea_ann']) n$$,
  $$VALUES ('ann_scout', 1), ('ann_ben', 1), ('dan_ann', 21), ('eve_ann', 3), ('rhea_ann', 0)$$,
  'each session counts the others'' messages after the player''s marker (none set: all of them)');
SELECT lives_ok($$SELECT api.send_message(tests.sid('ann_cat'), repeat('y', 139) || 'z' || repeat('w', 60))$$, 'Ann sends 200 characters');
SELECT results_eq($$SELECT last_message - 'id' - 'created_at', (last_message ->> 'id')::bigint = (SELECT max(id) FROM api.chat_messages)
                      FROM api.chat_sessions WHERE id = tests.sid('ann_cat')$$,
  $$VALUES (jsonb_build_object('sender_name', 'Ann', 'content', repeat('y', 139) || 'z'), true)$$,
  'the preview is the last message''s id, sender_name, created_at and its first 140 characters');

-- api.route_agent =================================================================================

-- as the owner
SELECT tests.as_owner();
CREATE TABLE tests.routes (message text, answer jsonb, why text);
GRANT SELECT ON tests.routes TO web_anon, player, agent_service, content_admin;
INSERT INTO tests.routes VALUES
  ('I need to research this',            '{"agent_slug": "scout", "score": 1}',      'a keyword as a whole word'),
  ('I am researching this',              NULL,                                       'no match inside a longer word (researching)'),
  ('I do re-search',                     NULL,                                       'no match inside a hyphenated word'),
  ('RESEARCH these Papers!',             '{"agent_slug": "scout", "score": 2}',      'case-insensitive, punctuation around words'),
  ('research, research and research',    '{"agent_slug": "scout", "score": 1}',      'the score counts distinct keywords'),
  ('write a plan',                       '{"agent_slug": "chronicler", "score": 1}', 'a tie goes to the first slug (chronicler before sage)'),
  ('plan, then write',                   '{"agent_slug": "chronicler", "score": 1}', 'the tie-break does not depend on word order'),
  ('market research',                    '{"agent_slug": "scout", "score": 1}',      'a tie goes to the first slug (scout before trends)'),
  ('write a plan with goals and priorities', '{"agent_slug": "sage", "score": 3}',   'the higher score wins over the slug order'),
  ('find research papers',               '{"agent_slug": "scout", "score": 3}',      'an inactive agent (ghost, first by slug, same keywords) is never chosen'),
  ('hello there',                        NULL,                                       'null when nothing matches'),
  ('',                                   NULL,                                       'null for an empty message'),
  (repeat('research ', 444),             '{"agent_slug": "scout", "score": 1}',      '3996 characters are accepted');

-- as web_anon
SELECT tests.clear_authentication();
SELECT is(api.route_agent(r.message), r.answer, format('route_agent: %s', r.why)) FROM tests.routes r;
SELECT throws_ok(format('SELECT api.route_agent(%s)', m.message), '22023', 'message must be 0 to 4000 characters', m.why)
  FROM (VALUES ($$repeat('a', 4001)$$, 'route_agent refuses 4001 characters'), ('NULL', 'route_agent refuses NULL')) AS m(message, why);

-- as content_admin, who sees inactive agents: the function's own filter keeps them out
SELECT tests.authenticate_service('content_admin');
SELECT is(api.route_agent('find research papers'), '{"agent_slug": "scout", "score": 3}',
  'route_agent never chooses an inactive agent, even for a caller who can read it');
SELECT is(api.route_agent('research'), '{"agent_slug": "scout", "score": 1}',
  '... even when the inactive agent would win the tie-break');

-- as a player and agent_service
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT is(api.route_agent('launch campaign'), '{"agent_slug": "maven", "score": 2}', 'a player may route a message');
SELECT tests.authenticate_service('agent_service');
SELECT is(api.route_agent('growth numbers'), '{"agent_slug": "trends", "score": 2}', 'agent_service may route a message');

-- api.post_agent_reply ============================================================================

-- as agent_service
SELECT tests.authenticate_service('agent_service');
INSERT INTO tests.msgs SELECT 'scout_reply', id FROM api.post_agent_reply(tests.sid('ann_scout'), E'Here are three sources:\n1. ...');
SELECT results_eq($$SELECT session_id, type, sender_type, sender_id, sender_name, content FROM api.chat_messages WHERE id = tests.mid('scout_reply')$$,
  $$VALUES (tests.sid('ann_scout'), 'agent', 'agent', tests.agent_id('scout'), 'Scout', E'Here are three sources:\n1. ...')$$,
  'post_agent_reply stores the answer as the session''s agent, under its name');
SELECT results_eq($$SELECT char_length(content), sender_type FROM api.post_agent_reply(tests.sid('ann_scout'), repeat('x', 32000))$$,
  $$VALUES (32000, 'agent')$$, 'post_agent_reply accepts 32000 characters');
SELECT throws_ok(format('SELECT api.post_agent_reply(tests.sid(''ann_scout''), %s)', c.content), '22023', c.message, c.why)
  FROM (VALUES ($$repeat('x', 32001)$$, 'content is 32001 characters long; the limit is 32000', 'post_agent_reply refuses 32001 characters'),
               ($$'  '$$, 'content must not be empty', 'post_agent_reply refuses blank content'),
               ($$E'a\u001bb'$$, 'content must not contain control characters other than newline', 'post_agent_reply refuses control characters')
       ) AS c(content, message, why);
SELECT tests.api_throws_ok(format('SELECT api.post_agent_reply(%s, ''I am the agent'')', s.session), 'PT404', s.message, s.why)
  FROM (VALUES
    ($$tests.sid('ann_ben')$$, 'unknown agent session', 'post_agent_reply answers 404 for a private session'),
    ($$tests.sid('sam_plaza')$$, 'unknown agent session', 'post_agent_reply answers 404 for a proximity session'),
    ($$'00000000-0000-4000-8000-00000000beef'$$, 'unknown agent session',
     'post_agent_reply answers 404 for an unknown session'),
    ('NULL', 'unknown agent session', 'post_agent_reply answers 404 for a missing session id')) AS s(session, message, why);

-- as a player and content_admin
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT throws_ok($$SELECT api.post_agent_reply(tests.sid('ann_scout'), 'I am Scout')$$, '42501',
  'permission denied for function post_agent_reply', 'a player may not post as an agent');
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_scout')), 3,
  'the agent''s answers count as unread for the player (greeting and two answers)');
SELECT tests.authenticate_service('content_admin');
SELECT throws_ok($$SELECT api.post_agent_reply(tests.sid('ann_scout'), 'I am Scout')$$, '42501',
  'permission denied for function post_agent_reply', 'content_admin may not post as an agent');

-- realtime.messages_after, agent_messages_after =====================================================

-- as the owner: Ivy heard sam_1 (not sam_2), and has a private chat with Sam; Ben talks to Sage.
SELECT tests.authenticate_as(tests.id_of('Ivy'));
INSERT INTO tests.msgs SELECT 'ivy_1', id FROM api.send_message(tests.sid('sam_ivy'), 'Hi Sam');
SELECT tests.authenticate_as(tests.id_of('Ben'));
INSERT INTO tests.sessions SELECT 'ben_sage', id FROM api.start_chat(agent_slug => 'sage');
INSERT INTO tests.msgs SELECT 'ben_to_sage', id FROM api.send_message(tests.sid('ben_sage'), 'Should I?');
SELECT tests.as_owner();
INSERT INTO tests.msgs SELECT 'sam_ivy_1', id FROM app.chat_messages WHERE session_id = tests.sid('sam_ivy') AND sender_id = tests.id_of('Sam');
INSERT INTO tests.msgs SELECT 'ann_to_scout', id FROM app.chat_messages WHERE session_id = tests.sid('ann_scout') AND sender_type = 'user';
INSERT INTO tests.msgs SELECT 'sage_greeting', id FROM app.chat_messages WHERE session_id = tests.sid('ben_sage') AND sender_type = 'agent';

-- The ids of a list of messages, in its order.
CREATE FUNCTION tests.ids(messages jsonb) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY(SELECT (m ->> 'id')::bigint FROM jsonb_array_elements(messages) WITH ORDINALITY AS t(m, o) ORDER BY o)
$$;
GRANT EXECUTE ON FUNCTION tests.ids(jsonb) TO bridge;

-- as the bridge
SELECT tests.as_bridge();
SELECT is(tests.ids(realtime.messages_after(tests.id_of('Ivy'), 0)), ARRAY[tests.mid('sam_1'), tests.mid('sam_ivy_1'), tests.mid('ivy_1')],
  'messages_after answers exactly what the user can read, in id order: the proximity message they heard (not the one said after they left) and their private chat');
SELECT is(tests.ids(realtime.messages_after(tests.id_of('Ivy'), tests.mid('sam_1'))), ARRAY[tests.mid('sam_ivy_1'), tests.mid('ivy_1')],
  'messages_after starts after the given id');
SELECT is(tests.ids(realtime.messages_after(tests.id_of('Ivy'), 0, 2)), ARRAY[tests.mid('sam_1'), tests.mid('sam_ivy_1')],
  'messages_after answers at most max_rows');
SELECT is(tests.ids(realtime.messages_after(tests.id_of('Ivy'), 0, 0)), ARRAY[tests.mid('sam_1')],
  'messages_after answers at least one row even for max_rows 0');
SELECT is(realtime.messages_after(tests.id_of('Ivy'), tests.mid('ivy_1')), '[]', 'nothing after the last message');
SELECT is(realtime.messages_after(gen_random_uuid(), 0), '[]', 'an unknown user reads nothing');
SELECT is(tests.ids(realtime.messages_after(tests.id_of('Ben'), tests.mid('ac_3'))), ARRAY[tests.mid('sage_greeting'), tests.mid('ben_to_sage')],
  'messages_after for Ben after ac_3 answers his agent session only: not Ann''s, Cat''s or Ivy''s later messages');
SELECT is(tests.ids(realtime.agent_messages_after(0)), ARRAY[tests.mid('ann_to_scout'), tests.mid('ben_to_sage')],
  'agent_messages_after answers the users'' messages in agent sessions only: no greetings, no agent answers, no private or proximity messages');
SELECT is(tests.ids(realtime.agent_messages_after(0, 1)), ARRAY[tests.mid('ann_to_scout')], 'agent_messages_after answers at most max_rows');
SELECT is(tests.ids(realtime.agent_messages_after(tests.mid('ann_to_scout'))), ARRAY[tests.mid('ben_to_sage')],
  'agent_messages_after starts after the given id');

-- at most 1000 rows however many are asked for
SELECT tests.as_owner();
INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
SELECT tests.sid('sam_ivy'), 'user', tests.id_of('Sam'), 'Sam', format('bulk %s', n) FROM generate_series(1, 1001) n;
SELECT tests.as_bridge();
SELECT is(jsonb_array_length(realtime.messages_after(tests.id_of('Ivy'), 0, 5000)), 1000, 'messages_after answers at most 1000 rows');
SELECT is(jsonb_array_length(realtime.messages_after(tests.id_of('Ivy'), 0)), 500, 'messages_after answers 500 rows by default');

-- Sender names stay what they were ================================================================

-- as content_admin: the agent is renamed
SELECT tests.authenticate_service('content_admin');
UPDATE api.agents SET name = 'Scout Prime' WHERE slug = 'scout';
SELECT tests.authenticate_as(tests.id_of('Cat'));
INSERT INTO tests.sessions SELECT 'cat_scout', id FROM api.start_chat(agent_slug => 'scout');
SELECT results_eq($$SELECT sender_name FROM api.chat_messages WHERE session_id = tests.sid('cat_scout')$$,
  ARRAY['Scout Prime'], 'a new session''s greeting carries the agent''s new name');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT results_eq($$SELECT DISTINCT sender_name FROM api.chat_messages WHERE session_id = tests.sid('ann_scout') AND sender_type = 'agent'$$,
  ARRAY['Scout'], 'the agent''s earlier messages keep the name it had then');

SELECT * FROM finish();
ROLLBACK;
