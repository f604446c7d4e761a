-- Deploy arkagentic:policy_agents_world to pg
-- requires: policy_agents policy_agent_prompts table_agents_world function_app_world_access
-- Agents follow their world (issue 13), with the world rules of app.readable_world_ids and
-- app.editable_world_ids (deploy/function_app_world_access.sql):
--   * players and web_anon read the active, unsuspended agents of the installation and of the worlds they
--     may read; a world's owner and editors read all of their world's agents, suspended ones too;
--   * agent_service reads every active agent and every active prompt, in every world (it answers them all);
--   * content_admin reads the installation's agents and those of the worlds it reads, and writes the
--     installation's agents and prompts (suspending a world's agent is api.suspend_agent's);
--   * a world's owner and editors PATCH their world's agents (display fields only); agents are created,
--     prompts published and activated, through the api functions (function_api_agents), which check the
--     same rule by app.agent_manageable.
-- No player reads a prompt of an agent they do not edit. The sprite registry is read by all and written
-- by content_admin.

BEGIN;

DROP POLICY agents_active_read ON app.agents;
DROP POLICY agents_admin_all ON app.agents;

CREATE POLICY agents_world_read ON app.agents FOR SELECT
  TO web_anon, player
  USING (is_active AND moderation_status = 'active'
         AND (world_id IS NULL OR world_id = ANY ((SELECT app.readable_world_ids())::uuid[])));
CREATE POLICY agents_editor_read ON app.agents FOR SELECT
  TO player USING (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY agents_service_read ON app.agents FOR SELECT
  TO agent_service USING (is_active);
CREATE POLICY agents_editor_update ON app.agents FOR UPDATE
  TO player
  USING (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]))
  WITH CHECK (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY agents_admin_read ON app.agents FOR SELECT
  TO content_admin USING (world_id IS NULL OR world_id = ANY ((SELECT app.admin_readable_world_ids())::uuid[]));
CREATE POLICY agents_admin_insert ON app.agents FOR INSERT
  TO content_admin WITH CHECK (world_id IS NULL);
CREATE POLICY agents_admin_update ON app.agents FOR UPDATE
  TO content_admin USING (world_id IS NULL) WITH CHECK (world_id IS NULL);
CREATE POLICY agents_admin_delete ON app.agents FOR DELETE
  TO content_admin USING (world_id IS NULL);

-- PATCH /agents changes display fields only: moderation is api.suspend_agent's, the world and slug stay.
REVOKE UPDATE ON app.agents FROM content_admin;
GRANT UPDATE (name, role, emoji, sprite_key, greeting, routing_keywords, is_active) ON app.agents TO player, content_admin;

DROP POLICY agent_prompts_service_read ON app.agent_prompts;
DROP POLICY agent_prompts_admin_read ON app.agent_prompts;
DROP POLICY agent_prompts_admin_insert ON app.agent_prompts;
DROP POLICY agent_prompts_admin_update ON app.agent_prompts;

CREATE POLICY agent_prompts_service_read ON app.agent_prompts FOR SELECT
  TO agent_service USING (is_active);
CREATE POLICY agent_prompts_admin_read ON app.agent_prompts FOR SELECT
  TO content_admin USING (world_id IS NULL);
CREATE POLICY agent_prompts_admin_insert ON app.agent_prompts FOR INSERT
  TO content_admin WITH CHECK (world_id IS NULL);
CREATE POLICY agent_prompts_admin_update ON app.agent_prompts FOR UPDATE
  TO content_admin USING (world_id IS NULL) WITH CHECK (world_id IS NULL);
CREATE POLICY agent_prompts_editor_read ON app.agent_prompts FOR SELECT
  TO player USING (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
GRANT SELECT ON app.agent_prompts TO player;

CREATE POLICY agent_prompt_activations_admin_read ON app.agent_prompt_activations FOR SELECT
  TO content_admin USING (world_id IS NULL);
CREATE POLICY agent_prompt_activations_editor_read ON app.agent_prompt_activations FOR SELECT
  TO player USING (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY agent_prompt_activations_service_read ON app.agent_prompt_activations FOR SELECT
  TO agent_service USING (true);
GRANT SELECT ON app.agent_prompt_activations TO player, agent_service, content_admin;

CREATE POLICY agent_sprites_read ON app.agent_sprites FOR SELECT
  TO web_anon, player, agent_service, content_admin USING (true);
CREATE POLICY agent_sprites_admin_insert ON app.agent_sprites FOR INSERT
  TO content_admin WITH CHECK (true);
CREATE POLICY agent_sprites_admin_update ON app.agent_sprites FOR UPDATE
  TO content_admin USING (true) WITH CHECK (true);
CREATE POLICY agent_sprites_admin_delete ON app.agent_sprites FOR DELETE
  TO content_admin USING (true);
GRANT SELECT ON app.agent_sprites TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON app.agent_sprites TO content_admin;

COMMIT;
