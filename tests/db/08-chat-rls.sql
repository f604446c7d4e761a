-- Who reads and writes which chat rows (issue 4, "Who may read or write"), with real rows: every
-- actor against every chat table and view. A session's participants read it; recipients read the
-- proximity messages they heard; agent_service reads agent sessions; nobody else, content_admin
-- included; and nobody writes any of it except through the api functions (07-chat).
BEGIN;
\ir helpers.psql

SELECT plan(165);

-- Setup ===========================================================================================
-- Ann and Ben chat privately; each talks to an agent; Ann and Rex talk nearby in plaza. Cat is a
-- stranger to all of it.
--   S_agent  Ann with Scout:  g1 (greeting), a1 (Ann), r1 (Scout's answer)
--   S_bagent Ben with Sage:   g2 (greeting)
--   S_priv   Ann and Ben:     p1 (Ann), p2 (Ben)
--   S_aprox  Ann nearby:      x1 (Rex near, hears it), x2 (Rex gone, nobody hears it)
--   S_rprox  Rex nearby:      rx (Ann hears it)
--   markers: Ann read S_priv to p2 and S_agent to g1; Ben read S_priv to p1.

-- as the owner
SELECT tests.create_user(n) FROM unnest(ARRAY['Ann', 'Ben', 'Cat', 'Rex']) n;
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
VALUES ('plaza', 'Plaza', 'plaza', 30, 30, 1, 1);
INSERT INTO app.player_presence (user_id, room_id, x, y)
SELECT tests.id_of(n), (SELECT id FROM app.rooms WHERE slug = 'plaza'), 10, 10 FROM unnest(ARRAY['Ann', 'Rex']) n;

-- Every row of the chat tables by name: sessions by id, messages by id, recipients and markers by
-- "<message or session id>:<user id>".
CREATE TABLE tests.keys (name text PRIMARY KEY, key text NOT NULL UNIQUE);
GRANT SELECT ON tests.keys TO web_anon, player, agent_service, content_admin, bridge;
GRANT INSERT ON tests.keys TO player, agent_service;
CREATE FUNCTION tests.key(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT key FROM tests.keys k WHERE k.name = key.name $$;
GRANT EXECUTE ON FUNCTION tests.key(text) TO web_anon, player, agent_service, content_admin, bridge;

SELECT tests.authenticate_as(tests.id_of('Ann'));
INSERT INTO tests.keys SELECT 'S_agent', id::text FROM api.start_chat(agent_slug => 'scout');
SELECT tests.authenticate_as(tests.id_of('Ben'));
INSERT INTO tests.keys SELECT 'S_bagent', id::text FROM api.start_chat(agent_slug => 'sage');
-- The private session is opened as the owner: api.start_chat {other_user_id} is tested in 07-chat.
SELECT tests.as_owner();
INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', tests.id_of('Ann'), tests.id_of('Ben'));
INSERT INTO tests.keys SELECT 'S_priv', id::text FROM app.chat_sessions WHERE type = 'private' AND user_id = tests.id_of('Ann');

SELECT tests.authenticate_as(tests.id_of('Ann'));
INSERT INTO tests.keys SELECT 'a1', id::text FROM api.send_message(tests.key('S_agent')::uuid, 'Find me sources');
INSERT INTO tests.keys SELECT 'p1', id::text FROM api.send_message(tests.key('S_priv')::uuid, 'Hi Ben');
INSERT INTO tests.keys SELECT 'x1', api.say_nearby('Hi Rex') -> 'message' ->> 'id';
SELECT tests.authenticate_as(tests.id_of('Ben'));
INSERT INTO tests.keys SELECT 'p2', id::text FROM api.send_message(tests.key('S_priv')::uuid, 'Hi Ann');
SELECT tests.authenticate_service('agent_service');
INSERT INTO tests.keys SELECT 'r1', id::text FROM api.post_agent_reply(tests.key('S_agent')::uuid, 'Here you go');
SELECT tests.as_owner();
UPDATE app.player_presence SET x = 29, y = 29 WHERE user_id = tests.id_of('Rex');
SELECT tests.authenticate_as(tests.id_of('Ann'));
INSERT INTO tests.keys SELECT 'x2', api.say_nearby('Rex, are you still there?') -> 'message' ->> 'id';
SELECT tests.as_owner();
UPDATE app.player_presence SET x = 11, y = 10 WHERE user_id = tests.id_of('Rex');
SELECT tests.authenticate_as(tests.id_of('Rex'));
INSERT INTO tests.keys SELECT 'rx', api.say_nearby('Back again') -> 'message' ->> 'id';
SELECT tests.as_owner();
INSERT INTO tests.keys SELECT 'g1', id::text FROM app.chat_messages WHERE session_id = tests.key('S_agent')::uuid AND sender_type = 'agent' ORDER BY id LIMIT 1;
INSERT INTO tests.keys SELECT 'g2', id::text FROM app.chat_messages WHERE session_id = tests.key('S_bagent')::uuid;
INSERT INTO tests.keys SELECT 'S_aprox', session_id::text FROM app.chat_messages WHERE id = tests.key('x1')::bigint;
INSERT INTO tests.keys SELECT 'S_rprox', session_id::text FROM app.chat_messages WHERE id = tests.key('rx')::bigint;
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT api.mark_read(tests.key('S_priv')::uuid, tests.key('p2')::bigint);
SELECT api.mark_read(tests.key('S_agent')::uuid, tests.key('g1')::bigint);
SELECT tests.authenticate_as(tests.id_of('Ben'));
SELECT api.mark_read(tests.key('S_priv')::uuid, tests.key('p1')::bigint);
SELECT tests.as_owner();
INSERT INTO tests.keys
SELECT format('%s:%s', k.name, u.name), format('%s:%s', tests.key(k.name), u.id)
  FROM (VALUES ('x1', 'Rex'), ('rx', 'Ann'), ('S_priv', 'Ann'), ('S_agent', 'Ann'), ('S_priv', 'Ben')) AS r(row_name, user_name)
  JOIN tests.keys k ON k.name = r.row_name JOIN tests.actors u ON u.name = r.user_name;

-- The setup is what the comment above says: every chat row has a name.
SELECT results_eq($$SELECT (SELECT count(*) FROM app.chat_sessions), (SELECT count(*) FROM app.chat_messages),
                           (SELECT count(*) FROM app.chat_message_recipients), (SELECT count(*) FROM app.chat_read_markers)$$,
  $$VALUES (5::bigint, 9::bigint, 2::bigint, 3::bigint)$$,
  'the setup made 5 sessions, 9 messages, 2 recipient rows and 3 read markers');
SELECT is_empty($$SELECT id::text FROM app.chat_sessions EXCEPT SELECT key FROM tests.keys
                  UNION ALL SELECT id::text FROM app.chat_messages EXCEPT SELECT key FROM tests.keys
                  UNION ALL SELECT message_id || ':' || user_id FROM app.chat_message_recipients EXCEPT SELECT key FROM tests.keys
                  UNION ALL SELECT session_id || ':' || user_id FROM app.chat_read_markers EXCEPT SELECT key FROM tests.keys$$,
  'every chat row has a name');

-- What the bridge would deliver to each player (realtime.messages_after), read here as the owner:
-- the issue asks that nobody receives a message they could not read through GET /chat_messages.
CREATE TABLE tests.delivered (actor text PRIMARY KEY, names text[]);
GRANT SELECT ON tests.delivered TO player;
INSERT INTO tests.delivered
SELECT n, ARRAY(SELECT k.name FROM jsonb_array_elements(realtime.messages_after(tests.id_of(n), 0)) m
                  JOIN tests.keys k ON k.key = m ->> 'id' ORDER BY k.name)
  FROM unnest(ARRAY['Ann', 'Ben', 'Cat', 'Rex']) n;

-- The matrix ======================================================================================

-- The names of the rows of a relation that the current role sees ('?' for a row without a name).
CREATE FUNCTION tests.seen(relation text) RETURNS text[]
  LANGUAGE plpgsql AS $$
DECLARE
  key_sql text := CASE WHEN relation LIKE '%chat_message_recipients' THEN $k$r.message_id || ':' || r.user_id$k$
                       WHEN relation LIKE '%chat_read_markers' THEN $k$r.session_id || ':' || r.user_id$k$
                       ELSE 'r.id::text' END;
  names text[];
BEGIN
  EXECUTE format('SELECT coalesce(array_agg(coalesce(k.name, ''?'') ORDER BY k.name), ''{}'') FROM %s r LEFT JOIN tests.keys k ON k.key = %s',
                 relation, key_sql) INTO names;
  RETURN names;
END
$$;
GRANT EXECUTE ON FUNCTION tests.seen(text) TO web_anon, player, agent_service, content_admin, bridge;

-- Switches to an actor: a player by name, or a role.
CREATE FUNCTION tests.become(actor text) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  CASE actor
    WHEN 'agent_service', 'content_admin' THEN PERFORM tests.authenticate_service(actor);
    WHEN 'web_anon' THEN PERFORM tests.clear_authentication();
    WHEN 'bridge' THEN PERFORM tests.as_bridge();
    ELSE PERFORM tests.authenticate_as(tests.id_of(actor));
  END CASE;
END
$$;
GRANT EXECUTE ON FUNCTION tests.become(text) TO web_anon, player, agent_service, content_admin, bridge;

-- One row per actor and relation: the rows it reads, or the error it gets.
CREATE TABLE tests.reads (n serial, actor text, relation text, rows text[], error text);
GRANT SELECT ON tests.reads TO web_anon, player, agent_service, content_admin, bridge;
INSERT INTO tests.reads (actor, relation, rows, error) VALUES
  -- players: their own sessions; their sessions' messages and the proximity messages they heard
  ('Ann', 'app.chat_sessions',           '{S_agent,S_aprox,S_priv}', NULL),
  ('Ann', 'app.chat_messages',           '{a1,g1,p1,p2,r1,rx,x1,x2}', NULL),
  ('Ann', 'app.chat_message_recipients', '{rx:Ann}', NULL),
  ('Ann', 'app.chat_read_markers',       '{S_agent:Ann,S_priv:Ann}', NULL),
  ('Ann', 'api.chat_sessions',           '{S_agent,S_aprox,S_priv}', NULL),
  ('Ann', 'api.chat_messages',           '{a1,g1,p1,p2,r1,rx,x1,x2}', NULL),
  ('Ben', 'app.chat_sessions',           '{S_bagent,S_priv}', NULL),
  ('Ben', 'app.chat_messages',           '{g2,p1,p2}', NULL),
  ('Ben', 'app.chat_message_recipients', '{}', NULL),
  ('Ben', 'app.chat_read_markers',       '{S_priv:Ben}', NULL),
  ('Ben', 'api.chat_sessions',           '{S_bagent,S_priv}', NULL),
  ('Ben', 'api.chat_messages',           '{g2,p1,p2}', NULL),
  ('Cat', 'app.chat_sessions',           '{}', NULL),
  ('Cat', 'app.chat_messages',           '{}', NULL),
  ('Cat', 'app.chat_message_recipients', '{}', NULL),
  ('Cat', 'app.chat_read_markers',       '{}', NULL),
  ('Cat', 'api.chat_sessions',           '{}', NULL),
  ('Cat', 'api.chat_messages',           '{}', NULL),
  -- the proximity recipient: what they heard (x1), not what was said after they left (x2)
  ('Rex', 'app.chat_sessions',           '{S_rprox}', NULL),
  ('Rex', 'app.chat_messages',           '{rx,x1}', NULL),
  ('Rex', 'app.chat_message_recipients', '{x1:Rex}', NULL),
  ('Rex', 'app.chat_read_markers',       '{}', NULL),
  ('Rex', 'api.chat_sessions',           '{S_rprox}', NULL),
  ('Rex', 'api.chat_messages',           '{rx,x1}', NULL),
  -- the agent worker: agent sessions and their messages, nothing private or proximity
  ('agent_service', 'app.chat_sessions',           '{S_agent,S_bagent}', NULL),
  ('agent_service', 'app.chat_messages',           '{a1,g1,g2,r1}', NULL),
  ('agent_service', 'app.chat_message_recipients', NULL, 'permission denied for table chat_message_recipients'),
  ('agent_service', 'app.chat_read_markers',       '{}', NULL),
  ('agent_service', 'api.chat_sessions',           '{S_agent,S_bagent}', NULL),
  ('agent_service', 'api.chat_messages',           '{a1,g1,g2,r1}', NULL),
  -- nobody else: chats are private
  ('content_admin', 'app.chat_sessions',           NULL, 'permission denied for table chat_sessions'),
  ('content_admin', 'app.chat_messages',           NULL, 'permission denied for table chat_messages'),
  ('content_admin', 'app.chat_message_recipients', NULL, 'permission denied for table chat_message_recipients'),
  ('content_admin', 'app.chat_read_markers',       NULL, 'permission denied for table chat_read_markers'),
  ('content_admin', 'api.chat_sessions',           NULL, 'permission denied for view chat_sessions'),
  ('content_admin', 'api.chat_messages',           NULL, 'permission denied for view chat_messages'),
  ('web_anon',      'app.chat_sessions',           NULL, 'permission denied for table chat_sessions'),
  ('web_anon',      'app.chat_messages',           NULL, 'permission denied for table chat_messages'),
  ('web_anon',      'app.chat_message_recipients', NULL, 'permission denied for table chat_message_recipients'),
  ('web_anon',      'app.chat_read_markers',       NULL, 'permission denied for table chat_read_markers'),
  ('web_anon',      'api.chat_sessions',           NULL, 'permission denied for view chat_sessions'),
  ('web_anon',      'api.chat_messages',           NULL, 'permission denied for view chat_messages'),
  ('bridge',        'app.chat_sessions',           NULL, 'permission denied for schema app'),
  ('bridge',        'app.chat_messages',           NULL, 'permission denied for schema app'),
  ('bridge',        'app.chat_message_recipients', NULL, 'permission denied for schema app'),
  ('bridge',        'app.chat_read_markers',       NULL, 'permission denied for schema app'),
  ('bridge',        'api.chat_sessions',           NULL, 'permission denied for schema api'),
  ('bridge',        'api.chat_messages',           NULL, 'permission denied for schema api');

-- Runs the matrix's reads as each actor in turn (each assertion under the actor's role).
CREATE FUNCTION tests.check_reads() RETURNS SETOF text
  LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM tests.reads ORDER BY n LOOP
    PERFORM tests.become(r.actor);
    IF r.error IS NULL THEN
      RETURN NEXT is(tests.seen(r.relation), r.rows, format('%s reads exactly %s of %s', r.actor,
                     CASE WHEN r.rows = '{}' THEN 'no row' ELSE array_to_string(r.rows, ', ') END, r.relation));
    ELSE
      RETURN NEXT throws_ok(format('SELECT * FROM %s', r.relation), '42501', r.error, format('%s may not read %s', r.actor, r.relation));
    END IF;
    PERFORM tests.as_owner();
  END LOOP;
END
$$;
SELECT * FROM tests.check_reads();

-- Each player reads through GET /chat_messages exactly what the bridge delivers them.
CREATE FUNCTION tests.check_delivery() RETURNS SETOF text
  LANGUAGE plpgsql AS $$
DECLARE
  d record;
BEGIN
  FOR d IN SELECT * FROM tests.delivered ORDER BY actor LOOP
    PERFORM tests.become(d.actor);
    RETURN NEXT is(tests.seen('api.chat_messages'), d.names,
                   format('%s reads through api.chat_messages exactly the messages realtime.messages_after delivers (%s)', d.actor,
                          CASE WHEN d.names = '{}' THEN 'none' ELSE array_to_string(d.names, ', ') END));
    PERFORM tests.as_owner();
  END LOOP;
END
$$;
SELECT * FROM tests.check_delivery();

-- The session type as the recipient sees it, and paging a heard proximity session by session_id.
SELECT tests.become('Rex');
SELECT results_eq($$SELECT type, sender_name, content FROM api.chat_messages WHERE id = tests.key('x1')::bigint$$,
  $$VALUES ('proximity', 'Ann', 'Hi Rex')$$,
  'a recipient reads the proximity message they heard through api.chat_messages, with its session type');
SELECT results_eq($$SELECT id::text FROM api.chat_messages WHERE session_id = tests.key('S_aprox')::uuid ORDER BY id DESC LIMIT 50$$,
  $$VALUES (tests.key('x1'))$$,
  'paging the speaker''s proximity session (session_id=eq...&order=id.desc) shows the recipient only what they heard');
SELECT tests.as_owner();

-- Nobody writes directly =========================================================================

-- One row per relation and statement: a write that would be an attack if it went through.
CREATE TABLE tests.writes (n serial, relation text, verb text, sql text);
GRANT SELECT ON tests.writes TO web_anon, player, agent_service, content_admin, bridge;
INSERT INTO tests.writes (relation, verb, sql) VALUES
  ('app.chat_sessions', 'INSERT', $$INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', tests.id_of('Cat'), tests.id_of('Ann'))$$),
  ('app.chat_sessions', 'UPDATE', $$UPDATE app.chat_sessions SET other_user_id = tests.id_of('Cat') WHERE id = tests.key('S_priv')::uuid$$),
  ('app.chat_sessions', 'DELETE', $$DELETE FROM app.chat_sessions WHERE id = tests.key('S_priv')::uuid$$),
  ('app.chat_messages', 'INSERT', $$INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
                                    VALUES (tests.key('S_priv')::uuid, 'user', tests.id_of('Ben'), 'Ben', 'forged')$$),
  ('app.chat_messages', 'UPDATE', $$UPDATE app.chat_messages SET content = 'edited' WHERE id = tests.key('p2')::bigint$$),
  ('app.chat_messages', 'DELETE', $$DELETE FROM app.chat_messages WHERE id = tests.key('p2')::bigint$$),
  ('app.chat_message_recipients', 'INSERT', $$INSERT INTO app.chat_message_recipients (message_id, user_id) VALUES (tests.key('p1')::bigint, tests.id_of('Cat'))$$),
  ('app.chat_message_recipients', 'UPDATE', $$UPDATE app.chat_message_recipients SET user_id = tests.id_of('Cat')$$),
  ('app.chat_message_recipients', 'DELETE', $$DELETE FROM app.chat_message_recipients$$),
  ('app.chat_read_markers', 'INSERT', $$INSERT INTO app.chat_read_markers (session_id, user_id, last_read_message_id)
                                        VALUES (tests.key('S_priv')::uuid, tests.id_of('Cat'), tests.key('p1')::bigint)$$),
  ('app.chat_read_markers', 'UPDATE', $$UPDATE app.chat_read_markers SET last_read_message_id = tests.key('p1')::bigint$$),
  ('app.chat_read_markers', 'DELETE', $$DELETE FROM app.chat_read_markers$$),
  ('api.chat_sessions', 'INSERT', $$INSERT INTO api.chat_sessions (type, user_id, other_user_id) VALUES ('private', tests.id_of('Cat'), tests.id_of('Ann'))$$),
  ('api.chat_sessions', 'UPDATE', $$UPDATE api.chat_sessions SET other_user_id = tests.id_of('Cat')$$),
  ('api.chat_sessions', 'DELETE', $$DELETE FROM api.chat_sessions$$),
  ('api.chat_messages', 'INSERT', $$INSERT INTO api.chat_messages (session_id, sender_type, sender_id, sender_name, content)
                                    VALUES (tests.key('S_priv')::uuid, 'user', tests.id_of('Ben'), 'Ben', 'forged')$$),
  ('api.chat_messages', 'UPDATE', $$UPDATE api.chat_messages SET content = 'edited'$$),
  ('api.chat_messages', 'DELETE', $$DELETE FROM api.chat_messages$$);

-- Each actor tries each write. On the app tables no API role holds a write grant, so each write is
-- refused with 42501 (the bridge cannot even reach the schema). The api views join tables, so
-- PostgreSQL refuses writes to them before it checks privileges (55000, "cannot insert into view"):
-- refused either way, and 02-rls-matrix shows no role holds a write grant on them.
CREATE FUNCTION tests.check_writes() RETURNS SETOF text
  LANGUAGE plpgsql AS $$
DECLARE
  actor text;
  w record;
  schema_name text;
  object_name text;
BEGIN
  FOREACH actor IN ARRAY ARRAY['Ann', 'Rex', 'agent_service', 'content_admin', 'web_anon', 'bridge'] LOOP
    FOR w IN SELECT * FROM tests.writes ORDER BY n LOOP
      PERFORM tests.become(actor);
      schema_name := split_part(w.relation, '.', 1);
      object_name := split_part(w.relation, '.', 2);
      IF actor = 'bridge' THEN
        RETURN NEXT throws_ok(w.sql, '42501', format('permission denied for schema %s', schema_name),
                              format('%s may not %s %s', actor, w.verb, w.relation));
      ELSIF schema_name = 'app' THEN
        RETURN NEXT throws_ok(w.sql, '42501', format('permission denied for table %s', object_name),
                              format('%s may not %s %s', actor, w.verb, w.relation));
      ELSE
        RETURN NEXT throws_ok(w.sql, '55000',
                              format('cannot %s view "%s"', CASE w.verb WHEN 'INSERT' THEN 'insert into' WHEN 'UPDATE' THEN 'update'
                                                                                 ELSE 'delete from' END, object_name),
                              format('%s may not %s %s', actor, w.verb, w.relation));
      END IF;
      PERFORM tests.as_owner();
    END LOOP;
  END LOOP;
END
$$;
SELECT * FROM tests.check_writes();

-- as the owner: nothing changed
SELECT results_eq($$SELECT (SELECT count(*) FROM app.chat_sessions), (SELECT count(*) FROM app.chat_messages),
                           (SELECT count(*) FROM app.chat_message_recipients), (SELECT count(*) FROM app.chat_read_markers),
                           (SELECT content FROM app.chat_messages WHERE id = tests.key('p2')::bigint)$$,
  $$VALUES (5::bigint, 9::bigint, 2::bigint, 3::bigint, 'Hi Ann')$$,
  'the refused writes changed nothing');

SELECT * FROM finish();
ROLLBACK;
