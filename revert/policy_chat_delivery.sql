-- Revert arkagentic:policy_chat_delivery from pg

BEGIN;

REVOKE SELECT ON app.chat_sessions, app.chat_messages FROM player, agent_service;
DROP POLICY chat_read_markers_own_read ON app.chat_read_markers;
DROP POLICY chat_message_recipients_own_read ON app.chat_message_recipients;
DROP POLICY chat_messages_agent_service_read ON app.chat_messages;
DROP POLICY chat_sessions_agent_service_read ON app.chat_sessions;
DROP POLICY chat_messages_recipient_read ON app.chat_messages;

COMMIT;
