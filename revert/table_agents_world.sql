-- Revert arkagentic:table_agents_world from pg
-- The worlds' agents cannot be kept: slugs are unique across all agents again. Their prompt history, chats
-- and buildings go with them.

BEGIN;

CREATE TEMPORARY TABLE doomed_agents ON COMMIT DROP AS SELECT id FROM app.agents WHERE world_id IS NOT NULL;
DELETE FROM app.agent_prompt_activations;
DELETE FROM app.chat_sessions WHERE agent_id IN (SELECT id FROM doomed_agents);
UPDATE app.buildings SET agent_id = NULL WHERE agent_id IN (SELECT id FROM doomed_agents);
UPDATE app.spawn_points SET agent_id = NULL WHERE agent_id IN (SELECT id FROM doomed_agents);
ALTER TABLE app.agent_prompts DISABLE TRIGGER USER;
DELETE FROM app.agent_prompts WHERE agent_id IN (SELECT id FROM doomed_agents);
ALTER TABLE app.agent_prompts ENABLE TRIGGER USER;
ALTER TABLE app.agents DISABLE TRIGGER agents_keep_history;
DELETE FROM app.agents WHERE id IN (SELECT id FROM doomed_agents);
ALTER TABLE app.agents ENABLE TRIGGER agents_keep_history;

REVOKE EXECUTE ON FUNCTION app.chat_content_ok(text, text) FROM player, content_admin;
REVOKE EXECUTE ON FUNCTION app.display_name_problem(text) FROM content_admin;
ALTER TABLE app.world_settings DROP COLUMN max_agents_per_world;
DROP TRIGGER worlds_drop_agents ON app.worlds;
DROP FUNCTION app.worlds_drop_agents();
DROP TABLE app.agent_prompt_activations;
DROP TRIGGER agent_prompts_append_only ON app.agent_prompts;
DROP TRIGGER agent_prompts_world ON app.agent_prompts;
DROP FUNCTION app.agent_prompts_append_only();
DROP FUNCTION app.agent_rows_world();
ALTER TABLE app.agent_prompts
  DROP CONSTRAINT agent_prompts_length_32000,
  DROP CONSTRAINT agent_prompts_agent_world_fkey,
  DROP COLUMN card,
  DROP COLUMN created_by_role,
  DROP COLUMN created_by,
  DROP COLUMN note,
  DROP COLUMN world_id;
DROP TRIGGER agents_keep_world ON app.agents;
DROP FUNCTION app.agents_keep_world();
ALTER TABLE app.agents
  DROP CONSTRAINT agents_routing_keywords_limit,
  DROP CONSTRAINT agents_greeting_limit,
  DROP CONSTRAINT agents_role_limit,
  DROP CONSTRAINT agents_name_visible,
  DROP CONSTRAINT agents_sprite_key_fkey,
  DROP CONSTRAINT agents_id_world_key,
  DROP CONSTRAINT agents_world_slug_key,
  ADD CONSTRAINT agents_slug_key UNIQUE (slug),
  DROP CONSTRAINT agents_moderation_reason_when_suspended,
  DROP COLUMN moderated_at,
  DROP COLUMN moderation_reason,
  DROP COLUMN moderation_status,
  DROP COLUMN world_id;
DROP TABLE app.agent_sprites;

COMMIT;
