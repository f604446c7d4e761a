-- Deploy arkagentic:table_chat_message_recipients to pg
-- requires: table_chat_messages
-- Who heard a proximity message. Recorded when it is said, so history shows exactly what each
-- player heard, not who happens to be near now.

BEGIN;

CREATE TABLE app.chat_message_recipients (
  message_id bigint NOT NULL REFERENCES app.chat_messages (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  PRIMARY KEY (message_id, user_id)
);
COMMENT ON TABLE app.chat_message_recipients IS 'Recipients of proximity messages, fixed when the message was said.';

-- Resume and history read a user's recipient rows in message order.
CREATE INDEX chat_message_recipients_user_idx ON app.chat_message_recipients (user_id, message_id);

ALTER TABLE app.chat_message_recipients ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.chat_message_recipients FORCE ROW LEVEL SECURITY;

GRANT SELECT ON app.chat_message_recipients TO player;

COMMIT;
