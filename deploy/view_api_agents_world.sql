-- Deploy arkagentic:view_api_agents_world to pg
-- requires: view_api_content view_api_agent_prompts policy_agents_world table_agents_world
-- GET /agents shows each agent's world and moderation state; PATCH /agents changes display fields
-- (row-level security and column grants decide where: policy_agents_world). GET /agent_prompts shows the
-- version's note, author and last activation. GET /agent_sprites is the sprite registry (issue 13).

BEGIN;

CREATE OR REPLACE VIEW api.agents WITH (security_invoker = true) AS
  SELECT id, slug, name, role, emoji, sprite_key, greeting, routing_keywords, is_active,
         world_id, moderation_status, moderation_reason, moderated_at
    FROM app.agents;
COMMENT ON VIEW api.agents IS
  'AI agents: the installation''s (world_id null) and those of the worlds you may see, active and not suspended; a world''s owner and editors see all of their world''s, content_admin the installation''s. PATCH changes display fields only. Prompts are never here.';
COMMENT ON COLUMN api.agents.slug IS 'URL-safe name, unique within its world (the installation''s agents among themselves), e.g. scout.';
COMMENT ON COLUMN api.agents.sprite_key IS 'Sprite the client draws: a key of GET /agent_sprites.';
COMMENT ON COLUMN api.agents.greeting IS 'First message of a new chat, up to 2000 characters.';
COMMENT ON COLUMN api.agents.routing_keywords IS 'Up to 32 lowercase words (1 to 32 characters) that route a message to this agent.';
COMMENT ON COLUMN api.agents.is_active IS 'False hides the agent from everyone but those who manage it.';
COMMENT ON COLUMN api.agents.world_id IS 'The agent''s world (GET /worlds); null for the installation''s agents.';
COMMENT ON COLUMN api.agents.moderation_status IS 'active, or suspended by content_admin (then only its managers see it, and it takes no new messages).';
COMMENT ON COLUMN api.agents.moderation_reason IS 'Why it is suspended; null while active.';
COMMENT ON COLUMN api.agents.moderated_at IS 'When it was last suspended or restored.';
GRANT UPDATE ON api.agents TO player;

CREATE OR REPLACE VIEW api.agent_prompts WITH (security_invoker = true) AS
  SELECT p.id, p.agent_id, a.slug AS agent_slug, p.version, p.system_prompt, p.is_active, p.created_at,
         p.world_id, p.note, p.created_by, p.created_by_role, act.activated_at, act.activated_by, act.activated_by_role
    FROM app.agent_prompts p
    JOIN app.agents a ON a.id = p.agent_id
    LEFT JOIN LATERAL (SELECT x.activated_at, x.activated_by, x.activated_by_role
                         FROM app.agent_prompt_activations x
                        WHERE x.agent_id = p.agent_id AND x.version = p.version
                        ORDER BY x.activated_at DESC, x.id DESC LIMIT 1) act ON true;
COMMENT ON VIEW api.agent_prompts IS
  'Versioned system prompts, immutable: agent_service reads every active one, content_admin the installation''s agents'', a world''s owner and editors their world''s; never other players. Publish with /rpc/publish_prompt, roll back with /rpc/activate_prompt.';
COMMENT ON COLUMN api.agent_prompts.is_active IS 'True for the live version; exactly one per agent.';
COMMENT ON COLUMN api.agent_prompts.world_id IS 'The agent''s world; null for an installation agent.';
COMMENT ON COLUMN api.agent_prompts.note IS 'What changed in this version, like a commit message (optional).';
COMMENT ON COLUMN api.agent_prompts.created_by IS 'The player who published it; null for content_admin and the seed.';
COMMENT ON COLUMN api.agent_prompts.created_by_role IS 'player, content_admin, or owner (the seed).';
COMMENT ON COLUMN api.agent_prompts.activated_at IS 'When this version was last made active (by publish_prompt or activate_prompt).';
COMMENT ON COLUMN api.agent_prompts.activated_by IS 'The player who last made it active; null for content_admin and the seed.';
COMMENT ON COLUMN api.agent_prompts.activated_by_role IS 'player, content_admin or owner: who last made it active.';
GRANT SELECT ON api.agent_prompts TO player;

CREATE VIEW api.agent_sprites WITH (security_invoker = true) AS
  SELECT key, name, created_at FROM app.agent_sprites;
COMMENT ON VIEW api.agent_sprites IS 'Sprites an agent may wear (sprite_key). Everyone reads them; content_admin adds, renames and removes them.';
COMMENT ON COLUMN api.agent_sprites.key IS 'The sprite_key, e.g. archie.';
COMMENT ON COLUMN api.agent_sprites.name IS 'A display name for pickers.';
COMMENT ON COLUMN api.agent_sprites.created_at IS 'When it was added.';
GRANT SELECT ON api.agent_sprites TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON api.agent_sprites TO content_admin;

COMMIT;
