-- Revert arkagentic:policy_agents_world from pg

BEGIN;

DROP POLICY agents_world_read ON app.agents;
DROP POLICY agents_editor_read ON app.agents;
DROP POLICY agents_service_read ON app.agents;
DROP POLICY agents_editor_update ON app.agents;
DROP POLICY agents_admin_read ON app.agents;
DROP POLICY agents_admin_insert ON app.agents;
DROP POLICY agents_admin_update ON app.agents;
DROP POLICY agents_admin_delete ON app.agents;
REVOKE UPDATE (name, role, emoji, sprite_key, greeting, routing_keywords, is_active) ON app.agents FROM player, content_admin;
GRANT UPDATE ON app.agents TO content_admin;
CREATE POLICY agents_active_read ON app.agents FOR SELECT
  TO web_anon, player, agent_service USING (is_active);
CREATE POLICY agents_admin_all ON app.agents FOR ALL
  TO content_admin USING (true) WITH CHECK (true);

DROP POLICY agent_prompts_service_read ON app.agent_prompts;
DROP POLICY agent_prompts_admin_read ON app.agent_prompts;
DROP POLICY agent_prompts_admin_insert ON app.agent_prompts;
DROP POLICY agent_prompts_admin_update ON app.agent_prompts;
DROP POLICY agent_prompts_editor_read ON app.agent_prompts;
REVOKE SELECT ON app.agent_prompts FROM player;
CREATE POLICY agent_prompts_service_read ON app.agent_prompts FOR SELECT
  TO agent_service USING (true);
CREATE POLICY agent_prompts_admin_read ON app.agent_prompts FOR SELECT
  TO content_admin USING (true);
CREATE POLICY agent_prompts_admin_insert ON app.agent_prompts FOR INSERT
  TO content_admin WITH CHECK (true);
CREATE POLICY agent_prompts_admin_update ON app.agent_prompts FOR UPDATE
  TO content_admin USING (true) WITH CHECK (true);

DROP POLICY agent_prompt_activations_admin_read ON app.agent_prompt_activations;
DROP POLICY agent_prompt_activations_editor_read ON app.agent_prompt_activations;
DROP POLICY agent_prompt_activations_service_read ON app.agent_prompt_activations;
REVOKE ALL ON app.agent_prompt_activations FROM player, agent_service, content_admin;

DROP POLICY agent_sprites_read ON app.agent_sprites;
DROP POLICY agent_sprites_admin_insert ON app.agent_sprites;
DROP POLICY agent_sprites_admin_update ON app.agent_sprites;
DROP POLICY agent_sprites_admin_delete ON app.agent_sprites;
REVOKE ALL ON app.agent_sprites FROM web_anon, player, agent_service, content_admin;

COMMIT;
