-- Deploy arkagentic:policy_chat_sessions to pg
-- requires: table_chat_sessions function_auth_claims
-- Who sees and changes which rows of app.chat_sessions.

BEGIN;

-- Chats are private: only their participants read them; not even content_admin.
CREATE POLICY chat_sessions_participant_read ON app.chat_sessions FOR SELECT
  TO player USING ((SELECT auth.user_id()) IN (user_id, other_user_id));

COMMIT;
