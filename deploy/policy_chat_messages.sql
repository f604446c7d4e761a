-- Deploy arkagentic:policy_chat_messages to pg
-- requires: table_chat_messages policy_chat_sessions
-- Who sees and changes which rows of app.chat_messages.

BEGIN;

CREATE POLICY chat_messages_participant_read ON app.chat_messages FOR SELECT
  TO player USING (EXISTS (
    SELECT FROM app.chat_sessions s
     WHERE s.id = session_id AND (SELECT auth.user_id()) IN (s.user_id, s.other_user_id)));

COMMIT;
