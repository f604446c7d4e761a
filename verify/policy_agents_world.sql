-- Verify arkagentic:policy_agents_world on pg

BEGIN;

DO $$
BEGIN
  IF (SELECT count(*) FROM pg_policies WHERE schemaname = 'app' AND tablename = 'agents'
        AND policyname IN ('agents_world_read', 'agents_editor_read', 'agents_service_read', 'agents_editor_update',
                           'agents_admin_read', 'agents_admin_insert', 'agents_admin_update', 'agents_admin_delete')) <> 8 THEN
    RAISE EXCEPTION 'the world policies of app.agents are missing';
  END IF;
  IF has_column_privilege('player', 'app.agents', 'moderation_status', 'UPDATE')
     OR has_column_privilege('content_admin', 'app.agents', 'world_id', 'UPDATE') THEN
    RAISE EXCEPTION 'PATCH /agents reaches more than display fields';
  END IF;
  IF has_table_privilege('player', 'app.agent_prompts', 'INSERT') THEN
    RAISE EXCEPTION 'players write prompt versions directly';
  END IF;
END
$$;

ROLLBACK;
