-- Deploy arkagentic:trigger_content_keeps_history to pg
-- requires: table_chat_sessions table_agent_prompts table_player_presence index_room_references
-- requires: function_app_presence
-- Chats belong to players and prompt history is append-only, so a content edit must never delete them:
-- `DELETE /agents` as content_admin used to cascade into every player's chat with that agent and its
-- prompt history, and `DELETE /rooms` into proximity chat and presence rows, with no player_left.
--   * The four foreign keys become RESTRICT: nothing deletes those rows by cascade any more.
--   * Deleting an agent with chats or prompt versions, or a room with chat history, answers 409 with
--     a fixed message, the agent or room in details, and a hint (for agents: deactivate it instead,
--     is_active = false, which already hides it from players).
--   * Deleting a room that has no chat history first makes the players inside leave, announcing
--     player_left as leaving always does, and then removes its presence rows.
-- Purging such rows deliberately (tests, a data-protection request) means deleting them by name first.

BEGIN;

ALTER TABLE app.chat_sessions
  DROP CONSTRAINT chat_sessions_agent_id_fkey,
  ADD CONSTRAINT chat_sessions_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES app.agents (id) ON DELETE RESTRICT,
  DROP CONSTRAINT chat_sessions_room_id_fkey,
  ADD CONSTRAINT chat_sessions_room_id_fkey FOREIGN KEY (room_id) REFERENCES app.rooms (id) ON DELETE RESTRICT;
ALTER TABLE app.agent_prompts
  DROP CONSTRAINT agent_prompts_agent_id_fkey,
  ADD CONSTRAINT agent_prompts_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES app.agents (id) ON DELETE RESTRICT;
ALTER TABLE app.player_presence
  DROP CONSTRAINT player_presence_room_id_fkey,
  ADD CONSTRAINT player_presence_room_id_fkey FOREIGN KEY (room_id) REFERENCES app.rooms (id) ON DELETE RESTRICT;

-- Every presence row of a room, offline ones too, for the room delete below (the existing index skips
-- offline rows).
CREATE INDEX player_presence_room_all_idx ON app.player_presence (room_id);

CREATE FUNCTION app.agents_keep_history() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- content_admin may not read players' chats, only learn that they exist
  SET search_path = ''
  AS $$
BEGIN
  IF EXISTS (SELECT FROM app.chat_sessions s WHERE s.agent_id = OLD.id)
     OR EXISTS (SELECT FROM app.agent_prompts p WHERE p.agent_id = OLD.id) THEN
    -- PostgREST 12's own-response form (written inline until app.raise_api_error lands): the status line
    -- is the standard one, and the client's slug travels only inside details, as JSON.
    RAISE SQLSTATE 'PGRST' USING
      MESSAGE = pg_catalog.json_build_object(
        'code', 'PT409',
        'message', 'this agent has players'' chats or prompt history and cannot be deleted',
        'details', pg_catalog.json_build_object('agent', OLD.slug)::text,
        'hint', 'Deactivate it instead: PATCH /agents?slug=eq.<slug> with {"is_active": false} hides it from players.')::text,
      DETAIL = '{"status":409,"status_text":"Conflict","headers":{}}';
  END IF;
  RETURN OLD;
END
$$;
COMMENT ON FUNCTION app.agents_keep_history() IS 'Refuses (409) to delete an agent that has chats or prompt versions.';

CREATE TRIGGER agents_keep_history BEFORE DELETE ON app.agents
  FOR EACH ROW EXECUTE FUNCTION app.agents_keep_history();

CREATE FUNCTION app.rooms_keep_history() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- reads chat sessions and ends presences that content_admin has no grant for
  SET search_path = ''
  AS $$
DECLARE
  inside uuid;
BEGIN
  IF EXISTS (SELECT FROM app.chat_sessions s WHERE s.room_id = OLD.id) THEN
    RAISE SQLSTATE 'PGRST' USING
      MESSAGE = pg_catalog.json_build_object(
        'code', 'PT409',
        'message', 'this room has players'' chat history and cannot be deleted',
        'details', pg_catalog.json_build_object('room', OLD.slug)::text,
        'hint', 'Keep the room: remove the doors that lead to it, or edit it in place.')::text,
      DETAIL = '{"status":409,"status_text":"Conflict","headers":{}}';
  END IF;
  -- The players inside leave as they would by themselves: offline, with a player_left frame to the room.
  FOR inside IN
    SELECT p.user_id FROM app.player_presence p
     WHERE p.room_id = OLD.id AND p.status <> 'offline' ORDER BY p.user_id FOR UPDATE
  LOOP
    PERFORM app.presence_leave(inside);
  END LOOP;
  DELETE FROM app.player_presence p WHERE p.room_id = OLD.id;
  RETURN OLD;
END
$$;
COMMENT ON FUNCTION app.rooms_keep_history() IS
  'Refuses (409) to delete a room with chat history; otherwise the players inside leave (player_left) and its presence rows go.';

CREATE TRIGGER rooms_keep_history BEFORE DELETE ON app.rooms
  FOR EACH ROW EXECUTE FUNCTION app.rooms_keep_history();

COMMIT;
