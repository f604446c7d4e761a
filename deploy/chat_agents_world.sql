-- Deploy arkagentic:chat_agents_world to pg
-- requires: function_app_agents function_api_chat function_api_chat_client_msg_id
-- Chat and routing know the agents' worlds (issue 13). start_chat takes an optional world_slug: the
-- caller must be allowed in that world (app.world_may_enter), and meets its agent with that slug, else the
-- installation's (app.chat_agent); without one, the installation's agents as before. A private world's
-- agents are unknown to outsiders. route_agent routes among the world's agents and the installation's,
-- the world's agent winning a tie. A suspended agent takes no new message (send_message and
-- post_agent_reply call app.agent_chat_open); its chats stay readable.

BEGIN;

DROP FUNCTION api.start_chat(text, uuid);
CREATE FUNCTION api.start_chat(agent_slug text DEFAULT NULL::text, other_user_id uuid DEFAULT NULL::uuid, world_slug text DEFAULT NULL::text)
  RETURNS api.chat_sessions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
#variable_conflict use_column
DECLARE
  me uuid := auth.user_id();
  agent app.agents;
  session_id uuid;
  result api.chat_sessions;
BEGIN
  IF (start_chat.agent_slug IS NULL) = (start_chat.other_user_id IS NULL)
     OR start_chat.world_slug IS NOT NULL AND start_chat.agent_slug IS NULL THEN
    RAISE EXCEPTION 'send exactly one of agent_slug and other_user_id'
      USING ERRCODE = 'invalid_parameter_value', HINT = '{"agent_slug": "scout"} or {"other_user_id": "<uuid>"}';
  END IF;
  PERFORM FROM app.users u WHERE u.id = me;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again.');
  END IF;

  IF start_chat.agent_slug IS NOT NULL THEN
    -- The world's agent or the installation's, one the caller meets, in a world the caller may enter
    -- (app.chat_agent): anything else answers like an unknown agent, so a private world's agents stay unknown.
    agent := app.chat_agent(start_chat.world_slug, start_chat.agent_slug, me);
    IF agent.id IS NULL THEN
      PERFORM app.raise_api_error(404, 'PT404', 'unknown agent', 'GET /agents lists the agents you may meet.',
                                  pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                                    'agent_slug', start_chat.agent_slug, 'world', start_chat.world_slug)));
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
$$;
COMMENT ON FUNCTION api.start_chat(text, uuid, text) IS
  'Open your chat with an agent ({agent_slug, world_slug?}) or a player ({other_user_id}).

Returns the existing session for that pair, or creates it; safe to call twice at once. A new agent session
starts with the agent''s greeting as its first message. With world_slug you must be allowed in that world, and
meet its agent with that slug, else the installation''s; without it, the installation''s agents. 404 for an
unknown, suspended or inactive agent, a world you may not enter, an unknown user, and a player who blocked you.
A new private session counts against a limit (10 per hour by default; 429 with Retry-After); returning an
existing one does not.';
REVOKE ALL ON FUNCTION api.start_chat(text, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.start_chat(text, uuid, text) TO player;

CREATE OR REPLACE FUNCTION api.send_message(session_id uuid, content text, client_msg_id uuid DEFAULT NULL::uuid)
 RETURNS api.chat_messages
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
DECLARE
  me uuid := auth.user_id();
  session_type text;
  session_agent uuid;
  my_name text;
  stored app.chat_messages;
BEGIN
  -- Assignments, not PERFORM: PL/pgSQL evaluates a plain expression without starting an executor.
  content := app.check_chat_content(content, 4000);
  SELECT s.type, s.agent_id, u.display_name INTO session_type, session_agent, my_name
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
  IF session_type = 'agent' THEN
    -- A suspended agent, or one whose world the sender may no longer enter, takes no new message.
    PERFORM app.agent_chat_open(session_agent, me);
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
$function$;
COMMENT ON FUNCTION api.send_message(uuid,text,uuid) IS
  'Send a message into one of your sessions.

Returns the stored message. Send a fresh client_msg_id (uuid) with every message and the same one when you
retry it: a retry returns the message already stored and stores nothing new (409 if that id was used in
another session). 400 for empty or whitespace-only content, over 4000 characters, or control characters
other than newline; 403 in the session of a suspended agent, or of an agent whose world you may no longer
enter; 404 for a session that is not yours, or whose other player blocked you; 429 over the rate limit
(20 per 10 s by default), with retry_after in details.';

CREATE OR REPLACE FUNCTION api.post_agent_reply(session_id uuid, content text) RETURNS api.chat_messages
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
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
    PERFORM app.raise_api_error(404, 'PT404', 'unknown agent session', 'Agents answer only in agent sessions.',
                                pg_catalog.jsonb_build_object('session_id', post_agent_reply.session_id));
  END IF;
  -- A suspended agent takes no new message, its own included.
  PERFORM app.agent_chat_open(session.agent_id, NULL);
  SELECT * INTO agent FROM app.agents a WHERE a.id = session.agent_id;
  stored := app.chat_store(session.id, 'agent', agent.id, agent.name, content);
  SELECT stored.id, stored.session_id, session.type, stored.sender_type, stored.sender_id, stored.sender_name,
         stored.content, stored.created_at INTO result;
  RETURN result;
END
$$;

-- route_agent runs as the caller, so that row-level security decides which agents and worlds it sees; its
-- 404 needs app.raise_api_error.
GRANT EXECUTE ON FUNCTION app.http_reason_phrase(integer) TO web_anon, player, agent_service;
GRANT EXECUTE ON FUNCTION app.raise_api_error(integer, text, text, text, jsonb, jsonb) TO web_anon, player, agent_service;
DROP FUNCTION api.route_agent(text);
CREATE FUNCTION api.route_agent(message text, world_slug text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
DECLARE
  world uuid;
BEGIN
  IF message IS NULL OR pg_catalog.char_length(message) > 4000 THEN
    RAISE EXCEPTION 'message must be 0 to 4000 characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send {"message": "..."}.';
  END IF;
  IF world_slug IS NOT NULL THEN
    -- Row-level security on app.worlds: a world the caller may not read is unknown.
    SELECT w.id INTO world FROM app.worlds w WHERE w.slug = route_agent.world_slug AND w.archived_at IS NULL;
    IF NOT FOUND THEN
      PERFORM app.raise_api_error(404, 'PT404', 'unknown world', 'GET /worlds lists the worlds you may see.',
                                  pg_catalog.jsonb_build_object('world', pg_catalog.left(route_agent.world_slug, 64)));
    END IF;
  END IF;
  -- Whole words, case-insensitive; score = distinct keywords matched; a tie goes to the world's agent, then
  -- to the slug first in alphabetical order, so the answer never depends on row order. Row-level security
  -- on app.agents shows only agents the caller meets; inactive and suspended ones never route.
  RETURN (
    SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
             'agent_slug', a.slug, 'score', pg_catalog.count(DISTINCT w.word),
             'world_slug', CASE WHEN a.world_id IS NOT NULL THEN route_agent.world_slug END))
      FROM app.agents a
      JOIN (SELECT DISTINCT word FROM pg_catalog.regexp_split_to_table(pg_catalog.lower(message), '[^[:alnum:]-]+') AS word) w
        ON w.word = ANY (a.routing_keywords)
     WHERE a.is_active AND a.moderation_status = 'active'
       AND (a.world_id IS NULL OR a.world_id = world)
     GROUP BY a.id, a.slug, a.world_id
     ORDER BY pg_catalog.count(DISTINCT w.word) DESC, a.world_id IS NULL, a.slug
     LIMIT 1);
END
$$;
COMMENT ON FUNCTION api.route_agent(text, text) IS
  'Pick the agent for a message from the agents'' routing keywords: the installation''s, and with world_slug that world''s too.

Returns {agent_slug, score}, and world_slug when the agent is the world''s: score is the number of distinct
keywords that appear as whole words (case-insensitive); a tie goes to the world''s agent, then to the
alphabetically first slug. null when nothing matches. Open the chat with start_chat {agent_slug, world_slug}.
404 for a world you may not see.';
REVOKE ALL ON FUNCTION api.route_agent(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.route_agent(text, text) TO web_anon, player, agent_service, content_admin;

COMMIT;
