-- Verify arkagentic:view_api_chat_sessions_flat on pg

BEGIN;

SELECT id, type, user_id, agent_id, agent_slug, other_user_id, room_id, created_at, last_message_at, last_message,
       unread_count
  FROM api.chat_sessions WHERE false;

DO $$
BEGIN
  ASSERT pg_catalog.pg_get_viewdef('api.chat_sessions'::regclass) LIKE '%chat_unread_counts%',
    'api.chat_sessions must read unread counts from app.chat_unread_counts';
END
$$;

ROLLBACK;
