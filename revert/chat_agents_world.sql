-- Revert arkagentic:chat_agents_world from pg: the definitions before it.

BEGIN;

DROP FUNCTION api.route_agent(text, text);
REVOKE EXECUTE ON FUNCTION app.raise_api_error(integer, text, text, text, jsonb, jsonb) FROM web_anon, player, agent_service;
REVOKE EXECUTE ON FUNCTION app.http_reason_phrase(integer) FROM web_anon, player, agent_service;
CREATE FUNCTION api.route_agent(message text)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
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
$function$
;

COMMENT ON FUNCTION api.route_agent(text) IS 'Pick the agent for a message from the agents'' routing keywords.

Returns {agent_slug, score}: score is the number of distinct keywords that appear as whole words
(case-insensitive); ties go to the alphabetically first slug. null when nothing matches.';
REVOKE ALL ON FUNCTION api.route_agent(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.route_agent(text) TO web_anon, player, agent_service, content_admin;

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
$function$
;

COMMENT ON FUNCTION api.post_agent_reply(uuid,text) IS 'Post the agent''s answer into an agent session (agent_service).

Content up to 32000 characters. Returns the stored message, which reaches the user''s sockets live. 404 for a
session that is not an agent session.';

CREATE OR REPLACE FUNCTION api.send_message(session_id uuid, content text, client_msg_id uuid DEFAULT NULL::uuid)
 RETURNS api.chat_messages
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
DECLARE
  me uuid := auth.user_id();
  session_type text;
  my_name text;
  stored app.chat_messages;
BEGIN
  -- Assignments, not PERFORM: PL/pgSQL evaluates a plain expression without starting an executor.
  content := app.check_chat_content(content, 4000);
  SELECT s.type, u.display_name INTO session_type, my_name
    FROM app.chat_sessions s JOIN app.users u ON u.id = me
   WHERE s.id = send_message.session_id AND me IN (s.user_id, s.other_user_id)
     -- The other participant of a private session may have blocked the sender (one primary-key probe;
     -- other_user_id is NULL in agent and proximity sessions, which match nothing).
     AND NOT EXISTS (SELECT FROM app.user_blocks b
                      WHERE b.blocker = CASE WHEN s.user_id = me THEN s.other_user_id ELSE s.user_id END
                        AND b.blocked = me);
  IF NOT FOUND THEN
    -- Someone else's session answers like a missing one: its existence is private too. A session whose
    -- other participant blocked the sender answers the same, so the sender is not told of the block.
    PERFORM app.raise_api_error(404, 'PT404', 'unknown chat session',
                                'Open one with /rpc/start_chat; GET /chat_sessions lists yours.',
                                pg_catalog.jsonb_build_object('session_id', send_message.session_id));
  ELSIF session_type = 'proximity' THEN
    RAISE EXCEPTION 'proximity sessions take messages through say_nearby'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'POST /rpc/say_nearby {"content": ...}';
  END IF;
  IF send_message.client_msg_id IS NOT NULL THEN
    stored := app.chat_retry(me, send_message.client_msg_id, send_message.session_id);
  END IF;
  IF stored.id IS NULL THEN
    PERFORM app.rate_limit_hit(me, 'send_message');
    stored := app.chat_store(send_message.session_id, 'user', me, my_name, content, '{}', send_message.client_msg_id);
  END IF;
  RETURN ROW(stored.id, stored.session_id, session_type, stored.sender_type, stored.sender_id, stored.sender_name,
             stored.content, stored.created_at)::api.chat_messages;
END
$function$
;

COMMENT ON FUNCTION api.send_message(uuid,text,uuid) IS 'Send a message into one of your sessions.

Returns the stored message. Send a fresh client_msg_id (uuid) with every message and the same one when you
retry it: a retry returns the message already stored and stores nothing new (409 if that id was used in
another session). 400 for empty or whitespace-only content, over 4000 characters, or control characters
other than newline; 404 for a session that is not yours, or whose other player blocked you; 429 over the
rate limit (20 per 10 s by default), with retry_after in details.';

DROP FUNCTION api.start_chat(text, uuid, text);
CREATE FUNCTION api.start_chat(agent_slug text DEFAULT NULL::text, other_user_id uuid DEFAULT NULL::uuid)
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
    -- A player who blocked the caller answers exactly like an unknown one: the caller is not told of the block.
    PERFORM FROM app.users u
     WHERE u.id = start_chat.other_user_id
       AND NOT EXISTS (SELECT FROM app.user_blocks b WHERE b.blocker = u.id AND b.blocked = me);
    IF NOT FOUND THEN
      PERFORM app.raise_api_error(404, 'PT404', 'unknown user', 'GET /users lists the players.',
                                  pg_catalog.jsonb_build_object('other_user_id', start_chat.other_user_id));
    END IF;
    INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', me, start_chat.other_user_id)
    ON CONFLICT ((least(user_id, other_user_id)), (greatest(user_id, other_user_id))) WHERE type = 'private' DO NOTHING
    RETURNING id INTO session_id;
    IF session_id IS NOT NULL THEN
      -- Only a session created here counts. The counter's row lock queues a sender's racing calls, and a
      -- refusal rolls the new session back with the count.
      PERFORM app.rate_limit_hit(me, 'start_private_chat');
    ELSE
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
$function$
;

COMMENT ON FUNCTION api.start_chat(text,uuid) IS 'Open your chat with an agent ({agent_slug}) or a player ({other_user_id}).

Returns the existing session for that pair, or creates it; safe to call twice at once. A new agent session
starts with the agent''s greeting as its first message. 404 for an unknown agent or user, and for a player
who blocked you. A new private session counts against a limit (10 per hour by default; 429 with Retry-After);
returning an existing one does not.';
REVOKE ALL ON FUNCTION api.start_chat(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.start_chat(text, uuid) TO player;

COMMIT;
