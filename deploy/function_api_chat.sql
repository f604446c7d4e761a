-- Deploy arkagentic:function_api_chat to pg (reworked after v0.4.1)
-- requires: table_user_blocks
-- requires: rate_limit_start_private_chat
-- start_chat (issue 9, section 3, private chat consent):
--   * a player who blocked the caller (app.user_blocks) answers 404 unknown user, the same answer as
--     for an id that names nobody, so the caller does not learn that they are blocked;
--   * each private session it creates counts against the start_private_chat rule (10 per hour by
--     default): free accounts could open a session with every player. Returning an existing session,
--     from either end, costs nothing. Agent sessions are not limited: there are a handful of agents.

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
$function$;

COMMENT ON FUNCTION api.start_chat(text,uuid) IS
  'Open your chat with an agent ({agent_slug}) or a player ({other_user_id}).

Returns the existing session for that pair, or creates it; safe to call twice at once. A new agent session
starts with the agent''s greeting as its first message. 404 for an unknown agent or user, and for a player
who blocked you. A new private session counts against a limit (10 per hour by default; 429 with Retry-After);
returning an existing one does not.';

COMMIT;
