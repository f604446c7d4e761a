-- Deploy arkagentic:function_api_chat to pg (reworked after v0.4.0)
-- requires: function_app_raise
-- start_chat, mark_read and post_agent_reply (last defined by function_api_chat@v0.2.0).
-- 4xx errors go through app.raise_api_error (function_app_raise): a PTxyz RAISE put its message, and
-- with it any client value the message repeated, into PostgREST's HTTP status line. The status line is
-- now the standard reason phrase and the client's value is in details, as JSON.

BEGIN;

CREATE OR REPLACE FUNCTION api.start_chat(agent_slug text DEFAULT NULL::text, other_user_id uuid DEFAULT NULL::uuid)
 RETURNS api.chat_sessions
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again.');
  END IF;

  IF start_chat.agent_slug IS NOT NULL THEN
    SELECT * INTO agent FROM app.agents a WHERE a.slug = start_chat.agent_slug AND a.is_active;
    IF NOT FOUND THEN
      PERFORM app.raise_api_error(404, 'PT404', 'unknown agent', 'GET /agents lists the agents.',
                                  pg_catalog.jsonb_build_object('agent_slug', start_chat.agent_slug));
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
      PERFORM app.raise_api_error(404, 'PT404', 'unknown user', 'GET /users lists the players.',
                                  pg_catalog.jsonb_build_object('other_user_id', start_chat.other_user_id));
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
$function$;

COMMENT ON FUNCTION api.start_chat(text,uuid) IS
  'Open your chat with an agent ({agent_slug}) or a player ({other_user_id}).

Returns the existing session for that pair, or creates it; safe to call twice at once. A new agent session
starts with the agent''s greeting as its first message. 404 for an unknown agent or user.';

CREATE OR REPLACE FUNCTION api.mark_read(session_id uuid, message_id bigint)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
DECLARE
  me uuid := auth.user_id();
  marker bigint;
BEGIN
  PERFORM FROM app.chat_sessions s WHERE s.id = mark_read.session_id AND me IN (s.user_id, s.other_user_id);
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown chat session', 'GET /chat_sessions lists yours.',
                                pg_catalog.jsonb_build_object('session_id', mark_read.session_id));
  END IF;
  PERFORM FROM app.chat_messages m WHERE m.id = mark_read.message_id AND m.session_id = mark_read.session_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the message is not in this session'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the id of a message of this session.',
            DETAIL = pg_catalog.jsonb_build_object('message_id', mark_read.message_id)::text;
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
$function$;

COMMENT ON FUNCTION api.mark_read(uuid,bigint) IS
  'Mark a session read up to a message.

The marker only moves forward. Returns {session_id, last_read_message_id}. 404 for a session that is not yours,
400 for a message of another session.';

CREATE OR REPLACE FUNCTION api.post_agent_reply(session_id uuid, content text)
 RETURNS api.chat_messages
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
DECLARE
  session app.chat_sessions;
  agent app.agents;
  stored app.chat_messages;
  result api.chat_messages;
BEGIN
  PERFORM app.check_chat_content(content, 32000);
  SELECT * INTO session FROM app.chat_sessions s WHERE s.id = post_agent_reply.session_id AND s.type = 'agent';
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown agent session', 'Agents answer only in agent sessions.',
                                pg_catalog.jsonb_build_object('session_id', post_agent_reply.session_id));
  END IF;
  SELECT * INTO agent FROM app.agents a WHERE a.id = session.agent_id;
  stored := app.chat_store(session.id, 'agent', agent.id, agent.name, content);
  SELECT stored.id, stored.session_id, session.type, stored.sender_type, stored.sender_id, stored.sender_name,
         stored.content, stored.created_at INTO result;
  RETURN result;
END
$function$;

COMMENT ON FUNCTION api.post_agent_reply(uuid,text) IS
  'Post the agent''s answer into an agent session (agent_service).

Content up to 32000 characters. Returns the stored message, which reaches the user''s sockets live. 404 for a
session that is not an agent session.';

COMMIT;
