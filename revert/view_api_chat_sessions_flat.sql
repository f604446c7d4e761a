-- Revert arkagentic:view_api_chat_sessions_flat from pg
-- Today's definition again (function_api_chat@v0.4.0): the unread count counted from the history.

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
COMMENT ON COLUMN api.chat_sessions.unread_count IS 'Messages from others after your read marker.';

COMMIT;
