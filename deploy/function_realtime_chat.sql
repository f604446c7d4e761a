-- Deploy arkagentic:function_realtime_chat to pg
-- requires: schema_realtime function_app_chat
-- What the bridge calls for chat: read a message too long for its notification, and replay what
-- a socket missed (resume). The audience rules match the RLS policies of app.chat_messages.

BEGIN;

CREATE FUNCTION realtime.chat_message(message_id bigint) RETURNS jsonb
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$ SELECT app.chat_message_json(m) FROM app.chat_messages m WHERE m.id = message_id $$;
COMMENT ON FUNCTION realtime.chat_message(bigint) IS 'One message, for notifications that carried only its id (message: null).';
GRANT EXECUTE ON FUNCTION realtime.chat_message(bigint) TO bridge;

CREATE FUNCTION realtime.messages_after(user_id uuid, after_id bigint, max_rows integer DEFAULT 500) RETURNS jsonb
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  SELECT coalesce(pg_catalog.jsonb_agg(app.chat_message_json(m) ORDER BY m.id), '[]'::jsonb)
    FROM (SELECT m.*
            FROM app.chat_messages m
           WHERE m.id > after_id
             AND (m.session_id IN (SELECT s.id FROM app.chat_sessions s
                                    WHERE s.user_id = messages_after.user_id OR s.other_user_id = messages_after.user_id)
                  OR m.id IN (SELECT r.message_id FROM app.chat_message_recipients r
                               WHERE r.user_id = messages_after.user_id AND r.message_id > after_id))
           ORDER BY m.id
           LIMIT least(greatest(max_rows, 1), 1000)) m
$$;
COMMENT ON FUNCTION realtime.messages_after(uuid, bigint, integer) IS
  'Messages the user can read with id > after_id, in id order, at most max_rows (1000): a resume page.';
GRANT EXECUTE ON FUNCTION realtime.messages_after(uuid, bigint, integer) TO bridge;

CREATE FUNCTION realtime.agent_messages_after(after_id bigint, max_rows integer DEFAULT 500) RETURNS jsonb
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  SELECT coalesce(pg_catalog.jsonb_agg(app.chat_message_json(m) ORDER BY m.id), '[]'::jsonb)
    FROM (SELECT m.*
            FROM app.chat_messages m
            JOIN app.chat_sessions s ON s.id = m.session_id
           WHERE m.id > after_id AND s.type = 'agent' AND m.sender_type = 'user'
           ORDER BY m.id
           LIMIT least(greatest(max_rows, 1), 1000)) m
$$;
COMMENT ON FUNCTION realtime.agent_messages_after(bigint, integer) IS
  'Users'' messages in agent sessions with id > after_id: the agent worker''s resume page.';
GRANT EXECUTE ON FUNCTION realtime.agent_messages_after(bigint, integer) TO bridge;

COMMIT;
