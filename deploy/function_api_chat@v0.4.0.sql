-- Deploy arkagentic:function_api_chat to pg (reworked after v0.2.0)
-- requires: function_app_chat function_app_presence view_api_content schema_api
--
-- api.chat_sessions reads last_message_at from the session's last message instead of a column that
-- every message had to update (see function_app_chat), and reads the caller's id once per query.
-- send_message does the same work in fewer statements: its session and the sender's name in one
-- query, and no query at all to shape the result.

BEGIN;

CREATE OR REPLACE VIEW api.chat_sessions WITH (security_invoker = true) AS
  SELECT s.id, s.type, s.user_id, s.agent_id, a.slug AS agent_slug, s.other_user_id, s.room_id,
         s.created_at, last.created_at AS last_message_at,
         last.preview AS last_message,
         (SELECT pg_catalog.count(*) FROM app.chat_messages m
           WHERE m.session_id = s.id
             AND m.id > coalesce((SELECT r.last_read_message_id FROM app.chat_read_markers r
                                   WHERE r.session_id = s.id AND r.user_id = (SELECT auth.user_id())), 0)
             AND m.sender_id IS DISTINCT FROM (SELECT auth.user_id()))::integer AS unread_count
    FROM app.chat_sessions s
    LEFT JOIN app.agents a ON a.id = s.agent_id
    -- The newest message through chat_messages_session_id_idx (session_id, id): one index probe.
    LEFT JOIN LATERAL (
      SELECT m.created_at,
             pg_catalog.jsonb_build_object('id', m.id, 'sender_name', m.sender_name,
                                           'content', pg_catalog.left(m.content, 140), 'created_at', m.created_at) AS preview
        FROM app.chat_messages m WHERE m.session_id = s.id ORDER BY m.id DESC LIMIT 1) last ON true
   ORDER BY last.created_at DESC NULLS LAST, s.id;
COMMENT ON COLUMN api.chat_sessions.last_message_at IS 'When its last message was sent; null while it has none.';

CREATE OR REPLACE FUNCTION api.send_message(session_id uuid, content text) RETURNS api.chat_messages
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
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
   WHERE s.id = send_message.session_id AND me IN (s.user_id, s.other_user_id);
  IF NOT FOUND THEN
    -- Someone else's session answers like a missing one: its existence is private too.
    RAISE EXCEPTION 'unknown chat session %', coalesce(send_message.session_id::text, 'NULL')
      USING ERRCODE = 'PT404', HINT = 'Open one with /rpc/start_chat; GET /chat_sessions lists yours.';
  ELSIF session_type = 'proximity' THEN
    RAISE EXCEPTION 'proximity sessions take messages through say_nearby'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'POST /rpc/say_nearby {"content": ...}';
  END IF;
  PERFORM app.rate_limit_hit(me, 'send_message');
  stored := app.chat_store(send_message.session_id, 'user', me, my_name, content);
  RETURN ROW(stored.id, stored.session_id, session_type, stored.sender_type, stored.sender_id, stored.sender_name,
             stored.content, stored.created_at)::api.chat_messages;
END
$$;

COMMIT;
