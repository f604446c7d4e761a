-- Revert arkagentic:function_api_chat from pg: restores the v0.2.0 api.chat_sessions (which reads
-- chat_sessions.last_message_at, back by then) and send_message.

BEGIN;

CREATE OR REPLACE VIEW api.chat_sessions WITH (security_invoker = true) AS
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
COMMENT ON COLUMN api.chat_sessions.last_message_at IS 'When its last message was sent.';

CREATE OR REPLACE FUNCTION api.send_message(session_id uuid, content text) RETURNS api.chat_messages
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

COMMIT;
