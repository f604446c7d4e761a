-- Verify arkagentic:trigger_content_keeps_history on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT bool_and(confdeltype = 'r') FROM pg_constraint
           WHERE conname IN ('chat_sessions_agent_id_fkey', 'chat_sessions_room_id_fkey',
                             'agent_prompts_agent_id_fkey', 'player_presence_room_id_fkey')
             AND connamespace = 'app'::regnamespace)
         AND (SELECT count(*) FROM pg_constraint
               WHERE conname IN ('chat_sessions_agent_id_fkey', 'chat_sessions_room_id_fkey',
                                 'agent_prompts_agent_id_fkey', 'player_presence_room_id_fkey')
                 AND connamespace = 'app'::regnamespace) = 4,
    'the foreign keys to agents and rooms from players'' data must be ON DELETE RESTRICT';
  ASSERT EXISTS (SELECT FROM pg_trigger WHERE tgname = 'agents_keep_history' AND tgrelid = 'app.agents'::regclass),
    'app.agents must have the agents_keep_history trigger';
  ASSERT EXISTS (SELECT FROM pg_trigger WHERE tgname = 'rooms_keep_history' AND tgrelid = 'app.rooms'::regclass),
    'app.rooms must have the rooms_keep_history trigger';
  ASSERT NOT has_function_privilege('content_admin', 'app.rooms_keep_history()', 'EXECUTE'),
    'trigger functions are not callable by API roles';
END
$$;

ROLLBACK;
