-- Verify arkagentic:table_agents_world on pg

BEGIN;

SELECT world_id, moderation_status, moderation_reason, moderated_at FROM app.agents WHERE false;
SELECT world_id, note, created_by, created_by_role, card FROM app.agent_prompts WHERE false;
SELECT id, agent_id, world_id, version, activated_by, activated_by_role, activated_at FROM app.agent_prompt_activations WHERE false;
SELECT key, name, created_at FROM app.agent_sprites WHERE false;
SELECT max_agents_per_world FROM app.world_settings WHERE false;
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'agents_world_slug_key' AND contype = 'u') THEN
    RAISE EXCEPTION 'agent slugs are not unique per world';
  END IF;
  IF EXISTS (SELECT FROM pg_constraint WHERE conname = 'agents_slug_key') THEN
    RAISE EXCEPTION 'agent slugs are still unique across worlds';
  END IF;
  IF NOT (SELECT relforcerowsecurity AND relrowsecurity FROM pg_class WHERE oid = 'app.agent_sprites'::regclass)
     OR NOT (SELECT relforcerowsecurity AND relrowsecurity FROM pg_class WHERE oid = 'app.agent_prompt_activations'::regclass) THEN
    RAISE EXCEPTION 'row-level security is not forced on the new agent tables';
  END IF;
END
$$;

ROLLBACK;
