-- Revert arkagentic:view_api_agents_world from pg
-- Views cannot lose columns through CREATE OR REPLACE: they are created again as before, and publish_prompt,
-- which returns api.agent_prompts, with them.

BEGIN;

DROP VIEW api.agent_sprites;
DROP FUNCTION api.publish_prompt(text, text);
DROP VIEW api.agents, api.agent_prompts;
CREATE VIEW api.agents WITH (security_invoker = true) AS
 SELECT agents.id,
    agents.slug,
    agents.name,
    agents.role,
    agents.emoji,
    agents.sprite_key,
    agents.greeting,
    agents.routing_keywords,
    agents.is_active
   FROM app.agents;
COMMENT ON VIEW api.agents IS 'AI agents. Everyone sees active ones; content_admin sees and edits all. Prompts are never here.';
COMMENT ON COLUMN api.agents.id IS 'Agent id.';
COMMENT ON COLUMN api.agents.slug IS 'URL-safe unique name, e.g. scout.';
COMMENT ON COLUMN api.agents.name IS 'Display name.';
COMMENT ON COLUMN api.agents.role IS 'What the agent does, e.g. Research Specialist.';
COMMENT ON COLUMN api.agents.emoji IS 'Icon emoji.';
COMMENT ON COLUMN api.agents.sprite_key IS 'Sprite the client draws.';
COMMENT ON COLUMN api.agents.greeting IS 'First message of a new chat.';
COMMENT ON COLUMN api.agents.routing_keywords IS 'Lowercase words that route a message to this agent.';
COMMENT ON COLUMN api.agents.is_active IS 'False hides the agent from everyone but content_admin.';
CREATE VIEW api.agent_prompts WITH (security_invoker = true) AS
 SELECT p.id,
    p.agent_id,
    a.slug AS agent_slug,
    p.version,
    p.system_prompt,
    p.is_active,
    p.created_at
   FROM app.agent_prompts p
     JOIN app.agents a ON a.id = p.agent_id;
COMMENT ON VIEW api.agent_prompts IS 'Versioned system prompts; agent_service and content_admin only. Publish with /rpc/publish_prompt.';
COMMENT ON COLUMN api.agent_prompts.id IS 'Prompt version id.';
COMMENT ON COLUMN api.agent_prompts.agent_id IS 'The agent.';
COMMENT ON COLUMN api.agent_prompts.agent_slug IS 'The agent''s slug.';
COMMENT ON COLUMN api.agent_prompts.version IS 'Version number, increasing per agent.';
COMMENT ON COLUMN api.agent_prompts.system_prompt IS 'The full system prompt.';
COMMENT ON COLUMN api.agent_prompts.is_active IS 'True for the live version; at most one per agent.';
COMMENT ON COLUMN api.agent_prompts.created_at IS 'When this version was published.';
GRANT SELECT ON api.agents TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON api.agents TO content_admin;
GRANT SELECT ON api.agent_prompts TO agent_service, content_admin;
CREATE FUNCTION api.publish_prompt(agent_slug text, system_prompt text)
 RETURNS api.agent_prompts
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
DECLARE
  agent uuid;
  new_id uuid;
  published api.agent_prompts;
BEGIN
  IF pg_catalog.btrim(coalesce(publish_prompt.system_prompt, ''), E' \t\n\r') = '' THEN
    RAISE EXCEPTION 'system_prompt must not be empty'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the full prompt text.';
  ELSIF pg_catalog.char_length(publish_prompt.system_prompt) > 100000 THEN
    RAISE EXCEPTION 'system_prompt is longer than 100000 characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Shorten the prompt.';
  END IF;

  -- Locking the agent serializes publishers, so versions never collide.
  SELECT a.id INTO agent FROM app.agents a WHERE a.slug = publish_prompt.agent_slug FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown agent', 'GET /agents?select=slug lists the agents.',
                                pg_catalog.jsonb_build_object('agent_slug', publish_prompt.agent_slug));
  END IF;

  UPDATE app.agent_prompts p SET is_active = false WHERE p.agent_id = agent AND p.is_active;
  INSERT INTO app.agent_prompts (agent_id, version, system_prompt, is_active)
  SELECT agent, coalesce(pg_catalog.max(p.version), 0) + 1, publish_prompt.system_prompt, true
    FROM app.agent_prompts p WHERE p.agent_id = agent
  RETURNING id INTO new_id;

  SELECT * INTO published FROM api.agent_prompts v WHERE v.id = new_id;
  RETURN published;
END
$function$
;

COMMENT ON FUNCTION api.publish_prompt(text,text) IS 'Publish a new system prompt version for an agent (content_admin).

Creates the next version and makes it the only active one; returns it. 404 for an unknown agent slug,
400 for an empty prompt.';
REVOKE ALL ON FUNCTION api.publish_prompt(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.publish_prompt(text, text) TO content_admin;

COMMIT;
