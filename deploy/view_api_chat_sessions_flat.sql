-- Deploy arkagentic:view_api_chat_sessions_flat to pg
-- requires: table_chat_unread_counts
-- requires: function_api_chat
-- GET /chat_sessions counted each session's unread messages from the history, on every request: the
-- cost grew with the messages after the reader's marker (200 ms at the median for a player in a
-- 200,000-message session). The count is now read from app.chat_unread_counts, one primary-key probe
-- per session, and the last message stays one backward probe of chat_messages_session_id_idx: the plan
-- costs the same at any history size, so no JIT threshold is ever near. Same columns, same order.

BEGIN;

CREATE OR REPLACE VIEW api.chat_sessions WITH (security_invoker = true) AS
  SELECT s.id, s.type, s.user_id, s.agent_id, a.slug AS agent_slug, s.other_user_id, s.room_id,
         s.created_at, last.created_at AS last_message_at,
         last.preview AS last_message,
         coalesce((SELECT u.unread_count FROM app.chat_unread_counts u
                    WHERE u.session_id = s.id AND u.user_id = (SELECT auth.user_id())), 0) AS unread_count
    FROM app.chat_sessions s
    LEFT JOIN app.agents a ON a.id = s.agent_id
    -- The newest message through chat_messages_session_id_idx (session_id, id): one index probe.
    LEFT JOIN LATERAL (
      SELECT m.created_at,
             pg_catalog.jsonb_build_object('id', m.id, 'sender_name', m.sender_name,
                                           'content', pg_catalog.left(m.content, 140), 'created_at', m.created_at) AS preview
        FROM app.chat_messages m WHERE m.session_id = s.id ORDER BY m.id DESC LIMIT 1) last ON true
   ORDER BY last.created_at DESC NULLS LAST, s.id;
COMMENT ON COLUMN api.chat_sessions.unread_count IS
  'Messages from others after your read marker (kept as a counter, exact; 0 for agent_service).';

COMMIT;
