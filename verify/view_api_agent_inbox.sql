-- Verify arkagentic:view_api_agent_inbox on pg

BEGIN;

DO $$
BEGIN
  PERFORM id, session_id, agent_slug, sender_id, sender_name, content, created_at FROM api.agent_inbox WHERE false;
  ASSERT has_table_privilege('agent_service', 'api.agent_inbox', 'SELECT'), 'agent_service must read the inbox';
  ASSERT NOT has_table_privilege('player', 'api.agent_inbox', 'SELECT'), 'players must not read the inbox';
  ASSERT NOT has_table_privilege('web_anon', 'api.agent_inbox', 'SELECT'), 'web_anon must not read the inbox';
END
$$;

ROLLBACK;
