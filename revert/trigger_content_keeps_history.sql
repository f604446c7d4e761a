-- Revert arkagentic:trigger_content_keeps_history from pg: the cascading foreign keys again.

BEGIN;

DROP TRIGGER rooms_keep_history ON app.rooms;
DROP FUNCTION app.rooms_keep_history();
DROP TRIGGER agents_keep_history ON app.agents;
DROP FUNCTION app.agents_keep_history();
DROP INDEX app.player_presence_room_all_idx;

ALTER TABLE app.player_presence
  DROP CONSTRAINT player_presence_room_id_fkey,
  ADD CONSTRAINT player_presence_room_id_fkey FOREIGN KEY (room_id) REFERENCES app.rooms (id) ON DELETE CASCADE;
ALTER TABLE app.agent_prompts
  DROP CONSTRAINT agent_prompts_agent_id_fkey,
  ADD CONSTRAINT agent_prompts_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES app.agents (id) ON DELETE CASCADE;
ALTER TABLE app.chat_sessions
  DROP CONSTRAINT chat_sessions_room_id_fkey,
  ADD CONSTRAINT chat_sessions_room_id_fkey FOREIGN KEY (room_id) REFERENCES app.rooms (id) ON DELETE CASCADE,
  DROP CONSTRAINT chat_sessions_agent_id_fkey,
  ADD CONSTRAINT chat_sessions_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES app.agents (id) ON DELETE CASCADE;

COMMIT;
