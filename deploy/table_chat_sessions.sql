-- Deploy arkagentic:table_chat_sessions to pg
-- requires: table_users table_agents table_rooms
-- A conversation: with an agent, between two players, or proximity chat in a room.

BEGIN;

CREATE TABLE app.chat_sessions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type            text NOT NULL CONSTRAINT chat_sessions_type_known CHECK (type IN ('agent', 'proximity', 'private')),
  user_id         uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  agent_id        uuid REFERENCES app.agents (id) ON DELETE CASCADE,
  other_user_id   uuid REFERENCES app.users (id) ON DELETE CASCADE,
  room_id         uuid REFERENCES app.rooms (id) ON DELETE CASCADE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_message_at timestamptz,
  CONSTRAINT chat_sessions_shape CHECK (CASE type
    WHEN 'agent'     THEN agent_id IS NOT NULL AND other_user_id IS NULL
    WHEN 'private'   THEN other_user_id IS NOT NULL AND agent_id IS NULL AND other_user_id <> user_id
    WHEN 'proximity' THEN agent_id IS NULL AND other_user_id IS NULL AND room_id IS NOT NULL
  END)
);
COMMENT ON TABLE app.chat_sessions IS 'Conversation containers; one agent session per user and agent, one private session per pair.';

-- One session per user and agent, and one per unordered pair of players.
CREATE UNIQUE INDEX chat_sessions_agent_pair ON app.chat_sessions (user_id, agent_id) WHERE type = 'agent';
CREATE UNIQUE INDEX chat_sessions_private_pair
  ON app.chat_sessions (least(user_id, other_user_id), greatest(user_id, other_user_id)) WHERE type = 'private';
CREATE INDEX chat_sessions_user_recent ON app.chat_sessions (user_id, last_message_at DESC);
CREATE INDEX chat_sessions_other_user_recent ON app.chat_sessions (other_user_id, last_message_at DESC)
  WHERE other_user_id IS NOT NULL;
CREATE INDEX chat_sessions_agent_id_idx ON app.chat_sessions (agent_id) WHERE agent_id IS NOT NULL;

ALTER TABLE app.chat_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.chat_sessions FORCE ROW LEVEL SECURITY;

COMMIT;
