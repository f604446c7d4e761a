-- Revert arkagentic:function_api_agents from pg: publish_prompt as it was before.

BEGIN;

DROP FUNCTION api.restore_agent(text, text);
DROP FUNCTION api.suspend_agent(text, text, text);
DROP FUNCTION app.agent_to_moderate(text, text);
DROP FUNCTION api.activate_prompt(text, integer, text);
DROP FUNCTION api.publish_prompt(text, text, text, text);
DROP FUNCTION api.create_agent(text, text, text, text, text, text, text, text, text[]);
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
