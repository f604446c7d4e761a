-- Verify arkagentic:policy_chat_delivery on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.chat_messages' AND policyname = 'chat_messages_recipient_read'),
    'policy chat_messages_recipient_read on app.chat_messages is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.chat_sessions' AND policyname = 'chat_sessions_agent_service_read'),
    'policy chat_sessions_agent_service_read on app.chat_sessions is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.chat_messages' AND policyname = 'chat_messages_agent_service_read'),
    'policy chat_messages_agent_service_read on app.chat_messages is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.chat_message_recipients' AND policyname = 'chat_message_recipients_own_read'),
    'policy chat_message_recipients_own_read on app.chat_message_recipients is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.chat_read_markers' AND policyname = 'chat_read_markers_own_read'),
    'policy chat_read_markers_own_read on app.chat_read_markers is missing';
  ASSERT NOT has_table_privilege('content_admin', 'app.chat_messages', 'SELECT'), 'chats are private to content_admin';
END
$$;

ROLLBACK;
