-- Verify arkagentic:view_api_agents_world on pg

BEGIN;

SELECT id, slug, world_id, moderation_status, moderation_reason, moderated_at FROM api.agents WHERE false;
SELECT id, version, world_id, note, created_by, created_by_role, activated_at, activated_by, activated_by_role FROM api.agent_prompts WHERE false;
SELECT key, name, created_at FROM api.agent_sprites WHERE false;

ROLLBACK;
