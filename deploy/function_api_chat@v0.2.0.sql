-- Deploy arkagentic:function_api_chat to pg
-- requires: function_app_chat function_app_presence view_api_content schema_api
-- Chat over REST: sessions with agents and players, proximity chat, history, read markers,
-- keyword routing and the agent worker's replies. Writes go through SECURITY DEFINER functions
-- that check participation themselves; reads go through security_invoker views under RLS.

BEGIN;

-- A proximity message's recipients may read the message but not the speaker's session (which
-- would show the speaker's last_message_at), so the session is an outer join: a message whose
-- session the caller cannot see can only be a proximity message they heard.
CREATE VIEW api.chat_messages WITH (security_invoker = true) AS
  SELECT m.id, m.session_id, coalesce(s.type, 'proximity') AS type, m.sender_type, m.sender_id, m.sender_name,
         m.content, m.created_at
    FROM app.chat_messages m
    LEFT JOIN app.chat_sessions s ON s.id = m.session_id;
COMMENT ON VIEW api.chat_messages IS
  'Messages you can read: your sessions'' messages and proximity messages you heard. Page with session_id=eq.<id>&order=id.desc&limit=50&id=lt.<oldest id seen>.';
COMMENT ON COLUMN api.chat_messages.id IS 'Message id, increasing; use it for paging and resume.';
COMMENT ON COLUMN api.chat_messages.session_id IS 'The session.';
COMMENT ON COLUMN api.chat_messages.type IS 'The session type: agent, private or proximity.';
COMMENT ON COLUMN api.chat_messages.sender_type IS 'user, agent or system.';
COMMENT ON COLUMN api.chat_messages.sender_id IS 'The sending user or agent.';
COMMENT ON COLUMN api.chat_messages.sender_name IS 'The sender''s name when the message was sent.';
COMMENT ON COLUMN api.chat_messages.content IS 'The text.';
COMMENT ON COLUMN api.chat_messages.created_at IS 'When it was sent.';
GRANT SELECT ON api.chat_messages TO player, agent_service;

CREATE VIEW api.chat_sessions WITH (security_invoker = true) AS
  SELECT s.id, s.type, s.user_id, s.agent_id, a.slug AS agent_slug, s.other_user_id, s.room_id,
         s.created_at, s.last_message_at,
         last.preview AS last_message,
         (SELECT pg_catalog.count(*) FROM app.chat_messages m
           WHERE m.session_id = s.id
             AND m.id > coalesce((SELECT r.last_read_message_id FROM app.chat_read_markers r
                                   WHERE r.session_id = s.id AND r.user_id = auth.user_id()), 0)
             AND m.sender_id IS DISTINCT FROM auth.user_id())::integer AS unread_count
    FROM app.chat_sessions s
    LEFT JOIN app.agents a ON a.id = s.agent_id
    LEFT JOIN LATERAL (
      SELECT pg_catalog.jsonb_build_object('id', m.id, 'sender_name', m.sender_name,
                                           'content', pg_catalog.left(m.content, 140), 'created_at', m.created_at) AS preview
        FROM app.chat_messages m WHERE m.session_id = s.id ORDER BY m.id DESC LIMIT 1) last ON true
   ORDER BY s.last_message_at DESC NULLS LAST, s.id;
COMMENT ON VIEW api.chat_sessions IS 'Your chat sessions, newest activity first, each with a preview of its last message and your unread count.';
COMMENT ON COLUMN api.chat_sessions.id IS 'Session id.';
COMMENT ON COLUMN api.chat_sessions.type IS 'agent, private or proximity.';
COMMENT ON COLUMN api.chat_sessions.user_id IS 'The player who started it.';
COMMENT ON COLUMN api.chat_sessions.agent_id IS 'The agent, for an agent session.';
COMMENT ON COLUMN api.chat_sessions.agent_slug IS 'The agent''s slug, for an agent session.';
COMMENT ON COLUMN api.chat_sessions.other_user_id IS 'The other player, for a private session.';
COMMENT ON COLUMN api.chat_sessions.room_id IS 'The room, for a proximity session.';
COMMENT ON COLUMN api.chat_sessions.created_at IS 'When it started.';
COMMENT ON COLUMN api.chat_sessions.last_message_at IS 'When its last message was sent.';
COMMENT ON COLUMN api.chat_sessions.last_message IS 'Preview of the last message: {id, sender_name, content (140 characters), created_at}.';
COMMENT ON COLUMN api.chat_sessions.unread_count IS 'Messages from others after your read marker.';
GRANT SELECT ON api.chat_sessions TO player, agent_service;
-- The view reads read markers and agents as the caller.
GRANT SELECT ON app.chat_read_markers TO agent_service;

CREATE FUNCTION api.start_chat(agent_slug text DEFAULT NULL, other_user_id uuid DEFAULT NULL) RETURNS api.chat_sessions
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- players cannot insert sessions directly
  SET search_path = ''
  AS $$
#variable_conflict use_column
DECLARE
  me uuid := auth.user_id();
  agent app.agents;
  session_id uuid;
  result api.chat_sessions;
BEGIN
  IF (start_chat.agent_slug IS NULL) = (start_chat.other_user_id IS NULL) THEN
    RAISE EXCEPTION 'send exactly one of agent_slug and other_user_id'
      USING ERRCODE = 'invalid_parameter_value', HINT = '{"agent_slug": "scout"} or {"other_user_id": "<uuid>"}';
  END IF;
  PERFORM FROM app.users u WHERE u.id = me;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this account no longer exists' USING ERRCODE = 'PT401', HINT = 'Sign in again.';
  END IF;

  IF start_chat.agent_slug IS NOT NULL THEN
    SELECT * INTO agent FROM app.agents a WHERE a.slug = start_chat.agent_slug AND a.is_active;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'unknown agent %', pg_catalog.quote_literal(start_chat.agent_slug)
        USING ERRCODE = 'PT404', HINT = 'GET /agents lists the agents.';
    END IF;
    -- Two racing calls both reach the unique index; one inserts, the other finds its row.
    INSERT INTO app.chat_sessions (type, user_id, agent_id) VALUES ('agent', me, agent.id)
    ON CONFLICT (user_id, agent_id) WHERE type = 'agent' DO NOTHING
    RETURNING id INTO session_id;
    IF session_id IS NOT NULL THEN
      PERFORM app.chat_store(session_id, 'agent', agent.id, agent.name, agent.greeting);
    ELSE
      SELECT s.id INTO session_id FROM app.chat_sessions s
       WHERE s.type = 'agent' AND s.user_id = me AND s.agent_id = agent.id;
    END IF;
  ELSE
    IF start_chat.other_user_id = me THEN
      RAISE EXCEPTION 'you cannot start a private chat with yourself'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Pick another player from GET /users.';
    END IF;
    PERFORM FROM app.users u WHERE u.id = start_chat.other_user_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'unknown user %', start_chat.other_user_id
        USING ERRCODE = 'PT404', HINT = 'GET /users lists the players.';
    END IF;
    INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', me, start_chat.other_user_id)
    ON CONFLICT ((least(user_id, other_user_id)), (greatest(user_id, other_user_id))) WHERE type = 'private' DO NOTHING
    RETURNING id INTO session_id;
    IF session_id IS NULL THEN
      SELECT s.id INTO session_id FROM app.chat_sessions s
       WHERE s.type = 'private'
         AND least(s.user_id, s.other_user_id) = least(me, start_chat.other_user_id)
         AND greatest(s.user_id, s.other_user_id) = greatest(me, start_chat.other_user_id);
    END IF;
  END IF;

  -- Read back through the view, as GET /chat_sessions shows it (preview, unread count).
  SELECT * INTO result FROM api.chat_sessions v WHERE v.id = session_id;
  RETURN result;
END
$$;
COMMENT ON FUNCTION api.start_chat(text, uuid) IS
$$Open your chat with an agent ({agent_slug}) or a player ({other_user_id}).

Returns the existing session for that pair, or creates it; safe to call twice at once. A new agent session
starts with the agent's greeting as its first message. 404 for an unknown agent or user.$$;
GRANT EXECUTE ON FUNCTION api.start_chat(text, uuid) TO player;

CREATE FUNCTION api.send_message(session_id uuid, content text) RETURNS api.chat_messages
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
  session app.chat_sessions;
  my_name text;
  stored app.chat_messages;
  result api.chat_messages;
BEGIN
  PERFORM app.check_chat_content(content, 4000);
  SELECT * INTO session FROM app.chat_sessions s
   WHERE s.id = send_message.session_id AND me IN (s.user_id, s.other_user_id);
  IF NOT FOUND THEN
    -- Someone else's session answers like a missing one: its existence is private too.
    RAISE EXCEPTION 'unknown chat session %', coalesce(send_message.session_id::text, 'NULL')
      USING ERRCODE = 'PT404', HINT = 'Open one with /rpc/start_chat; GET /chat_sessions lists yours.';
  ELSIF session.type = 'proximity' THEN
    RAISE EXCEPTION 'proximity sessions take messages through say_nearby'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'POST /rpc/say_nearby {"content": ...}';
  END IF;
  PERFORM app.rate_limit_hit(me, 'send_message');
  SELECT u.display_name INTO my_name FROM app.users u WHERE u.id = me;
  stored := app.chat_store(session.id, 'user', me, my_name, content);
  SELECT stored.id, stored.session_id, session.type, stored.sender_type, stored.sender_id, stored.sender_name,
         stored.content, stored.created_at INTO result;
  RETURN result;
END
$$;
COMMENT ON FUNCTION api.send_message(uuid, text) IS
$$Send a message into one of your sessions.

Returns the stored message. 400 for empty or whitespace-only content, over 4000 characters, or control
characters other than newline; 404 for a session that is not yours; 429 over the rate limit (20 per 10 s by
default), with retry_after in details.$$;
GRANT EXECUTE ON FUNCTION api.send_message(uuid, text) TO player;

CREATE FUNCTION api.say_nearby(content text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
  here app.player_presence;
  room app.rooms;
  session_id uuid;
  heard_by uuid[];
  my_name text;
  stored app.chat_messages;
BEGIN
  PERFORM app.check_chat_content(content, 4000);
  SELECT * INTO here FROM app.player_presence p WHERE p.user_id = me AND p.status <> 'offline';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'enter a room before talking to people nearby'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Join a room over the WebSocket, or POST /rpc/enter_room.';
  END IF;
  PERFORM app.rate_limit_hit(me, 'say_nearby');
  SELECT * INTO room FROM app.rooms r WHERE r.id = here.room_id;

  heard_by := ARRAY(
    SELECT p.user_id FROM app.player_presence p
     WHERE p.room_id = here.room_id AND p.status <> 'offline' AND p.user_id <> me
       AND (p.x - here.x) ^ 2 + (p.y - here.y) ^ 2 <= room.proximity_radius ^ 2
     ORDER BY p.user_id);

  INSERT INTO app.chat_sessions (type, user_id, room_id) VALUES ('proximity', me, here.room_id)
  ON CONFLICT (user_id, room_id) WHERE type = 'proximity' DO NOTHING
  RETURNING id INTO session_id;
  IF session_id IS NULL THEN
    SELECT s.id INTO session_id FROM app.chat_sessions s
     WHERE s.type = 'proximity' AND s.user_id = me AND s.room_id = here.room_id;
  END IF;

  SELECT u.display_name INTO my_name FROM app.users u WHERE u.id = me;
  stored := app.chat_store(session_id, 'user', me, my_name, content, heard_by);
  RETURN pg_catalog.jsonb_build_object('message', app.chat_message_json(stored),
                                       'recipients', pg_catalog.to_jsonb(heard_by));
END
$$;
COMMENT ON FUNCTION api.say_nearby(text) IS
$$Say something to the players near you.

Everyone in your room within its proximity_radius (5 tiles by default) hears it; they are recorded, so each
player's history shows exactly what they heard. Returns {message, recipients}. 400 when you are not in a room
or the content is invalid; 429 over the rate limit (5 per 10 s by default).$$;
GRANT EXECUTE ON FUNCTION api.say_nearby(text) TO player;

CREATE FUNCTION api.mark_read(session_id uuid, message_id bigint) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
  marker bigint;
BEGIN
  PERFORM FROM app.chat_sessions s WHERE s.id = mark_read.session_id AND me IN (s.user_id, s.other_user_id);
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown chat session %', coalesce(mark_read.session_id::text, 'NULL')
      USING ERRCODE = 'PT404', HINT = 'GET /chat_sessions lists yours.';
  END IF;
  PERFORM FROM app.chat_messages m WHERE m.id = mark_read.message_id AND m.session_id = mark_read.session_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'message % is not in this session', coalesce(mark_read.message_id::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the id of a message of this session.';
  END IF;
  -- Markers only move forward, so an old tab cannot un-read what a newer one read.
  INSERT INTO app.chat_read_markers AS r (session_id, user_id, last_read_message_id)
  VALUES (mark_read.session_id, me, mark_read.message_id)
  ON CONFLICT ON CONSTRAINT chat_read_markers_pkey DO UPDATE
     SET last_read_message_id = greatest(r.last_read_message_id, EXCLUDED.last_read_message_id),
         updated_at = pg_catalog.now()
  RETURNING r.last_read_message_id INTO marker;
  RETURN pg_catalog.jsonb_build_object('session_id', mark_read.session_id, 'last_read_message_id', marker);
END
$$;
COMMENT ON FUNCTION api.mark_read(uuid, bigint) IS
$$Mark a session read up to a message.

The marker only moves forward. Returns {session_id, last_read_message_id}. 404 for a session that is not yours,
400 for a message of another session.$$;
GRANT EXECUTE ON FUNCTION api.mark_read(uuid, bigint) TO player;

CREATE FUNCTION api.route_agent(message text) RETURNS jsonb
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
BEGIN
  IF message IS NULL OR pg_catalog.char_length(message) > 4000 THEN
    RAISE EXCEPTION 'message must be 0 to 4000 characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send {"message": "..."}.';
  END IF;
  -- Whole words, case-insensitive; score = distinct keywords matched; ties go to the slug first
  -- in alphabetical order, so the answer never depends on row order.
  RETURN (
    SELECT pg_catalog.jsonb_build_object('agent_slug', a.slug, 'score', pg_catalog.count(DISTINCT w.word))
      FROM app.agents a
      JOIN (SELECT DISTINCT word FROM pg_catalog.regexp_split_to_table(pg_catalog.lower(message), '[^[:alnum:]-]+') AS word) w
        ON w.word = ANY (a.routing_keywords)
     WHERE a.is_active
     GROUP BY a.slug
     ORDER BY pg_catalog.count(DISTINCT w.word) DESC, a.slug
     LIMIT 1);
END
$$;
COMMENT ON FUNCTION api.route_agent(text) IS
$$Pick the agent for a message from the agents' routing keywords.

Returns {agent_slug, score}: score is the number of distinct keywords that appear as whole words
(case-insensitive); ties go to the alphabetically first slug. null when nothing matches.$$;
GRANT EXECUTE ON FUNCTION api.route_agent(text) TO web_anon, player, agent_service, content_admin;

CREATE FUNCTION api.post_agent_reply(session_id uuid, content text) RETURNS api.chat_messages
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- agent_service cannot insert messages directly
  SET search_path = ''
  AS $$
DECLARE
  session app.chat_sessions;
  agent app.agents;
  stored app.chat_messages;
  result api.chat_messages;
BEGIN
  PERFORM app.check_chat_content(content, 32000);
  SELECT * INTO session FROM app.chat_sessions s WHERE s.id = post_agent_reply.session_id AND s.type = 'agent';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown agent session %', coalesce(post_agent_reply.session_id::text, 'NULL')
      USING ERRCODE = 'PT404', HINT = 'Agents answer only in agent sessions.';
  END IF;
  SELECT * INTO agent FROM app.agents a WHERE a.id = session.agent_id;
  stored := app.chat_store(session.id, 'agent', agent.id, agent.name, content);
  SELECT stored.id, stored.session_id, session.type, stored.sender_type, stored.sender_id, stored.sender_name,
         stored.content, stored.created_at INTO result;
  RETURN result;
END
$$;
COMMENT ON FUNCTION api.post_agent_reply(uuid, text) IS
$$Post the agent's answer into an agent session (agent_service).

Content up to 32000 characters. Returns the stored message, which reaches the user's sockets live. 404 for a
session that is not an agent session.$$;
GRANT EXECUTE ON FUNCTION api.post_agent_reply(uuid, text) TO agent_service;

COMMIT;
