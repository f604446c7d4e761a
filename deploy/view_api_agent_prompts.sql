-- Deploy arkagentic:view_api_agent_prompts to pg
-- requires: schema_api policy_agent_prompts policy_agents
-- System prompts for the agent worker and content admins. Players have no grant at all.

BEGIN;

CREATE VIEW api.agent_prompts WITH (security_invoker = true) AS
  SELECT p.id, p.agent_id, a.slug AS agent_slug, p.version, p.system_prompt, p.is_active, p.created_at
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
GRANT SELECT ON api.agent_prompts TO agent_service, content_admin;

COMMIT;
