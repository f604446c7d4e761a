-- Deploy arkagentic:policy_chat_delivery to pg
-- requires: table_chat_message_recipients table_chat_read_markers policy_chat_messages
-- Who reads chats, beyond a session's two participants: recipients of proximity messages, and the
-- agent worker for agent sessions. content_admin reads none: chats are private.

BEGIN;

CREATE POLICY chat_messages_recipient_read ON app.chat_messages FOR SELECT
  TO player USING (EXISTS (
    SELECT FROM app.chat_message_recipients r
     WHERE r.message_id = id AND r.user_id = (SELECT auth.user_id())));
CREATE POLICY chat_sessions_agent_service_read ON app.chat_sessions FOR SELECT
  TO agent_service USING (type = 'agent');
CREATE POLICY chat_messages_agent_service_read ON app.chat_messages FOR SELECT
  TO agent_service USING (EXISTS (
    SELECT FROM app.chat_sessions s WHERE s.id = session_id AND s.type = 'agent'));
CREATE POLICY chat_message_recipients_own_read ON app.chat_message_recipients FOR SELECT
  TO player USING (user_id = (SELECT auth.user_id()));
CREATE POLICY chat_read_markers_own_read ON app.chat_read_markers FOR SELECT
  TO player USING (user_id = (SELECT auth.user_id()));

GRANT SELECT ON app.chat_sessions, app.chat_messages TO player, agent_service;

COMMIT;
