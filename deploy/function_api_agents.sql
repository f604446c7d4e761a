-- Deploy arkagentic:function_api_agents to pg
-- requires: function_app_agents view_api_agents_world function_api_publish_prompt
-- Custom agents over REST (issue 13): create_agent, publish_prompt (now with world_slug and note),
-- activate_prompt, suspend_agent and restore_agent. Who may do what is decided by app.agent_manageable
-- (the world's owner and editors, content_admin for the installation's agents) through app.agent_lookup;
-- moderation is content_admin's, by grant. Versions are only ever appended; activation moves the pointer
-- and is recorded with who and when. The agent's row lock orders publishers and activators, so exactly
-- one version is active whatever runs at once.

BEGIN;

CREATE FUNCTION api.create_agent(world_slug text, slug text, name text, role text, emoji text, sprite_key text,
                                 greeting text, system_prompt text, routing_keywords text[] DEFAULT '{}')
  RETURNS api.agents
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds;
  a app.agents;
  result api.agents;
BEGIN
  IF world_slug IS NULL THEN
    RAISE EXCEPTION 'world_slug is required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Agents are created in a world you own or edit; content_admin posts installation agents to /agents.';
  END IF;
  w := app.agent_world(world_slug);
  a := app.agent_create(w, slug, name, role, emoji, sprite_key, greeting, routing_keywords, system_prompt);
  SELECT * INTO result FROM api.agents v WHERE v.id = a.id;
  RETURN result;
END
$$;
COMMENT ON FUNCTION api.create_agent(text, text, text, text, text, text, text, text, text[]) IS
  'Create an agent in a world you own or edit, with its first prompt version.

name 1-64 characters (display-name rules), role 1-64, emoji 1-16, sprite_key from GET /agent_sprites, greeting
1-2000 (a valid chat message), routing_keywords up to 32 of 1-32 lowercase letters, digits and dashes,
system_prompt 1-32000. Returns the agent. 400 for bad input, 403 unless you own or edit the world, 404 for a
world you may not see, 409 for a slug taken in the world or a world at app.world_settings.max_agents_per_world
(20 by default).';
REVOKE ALL ON FUNCTION api.create_agent(text, text, text, text, text, text, text, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.create_agent(text, text, text, text, text, text, text, text, text[]) TO player;

DROP FUNCTION api.publish_prompt(text, text);
CREATE FUNCTION api.publish_prompt(agent_slug text, system_prompt text, world_slug text DEFAULT NULL, note text DEFAULT NULL)
  RETURNS api.agent_prompts
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  a app.agents;
  p app.agent_prompts;
  result api.agent_prompts;
BEGIN
  PERFORM app.check_prompt(system_prompt, note);
  a := app.agent_lookup(world_slug, agent_slug);
  p := app.agent_prompt_publish(a, system_prompt, note);
  SELECT * INTO result FROM api.agent_prompts v WHERE v.id = p.id;
  RETURN result;
END
$$;
COMMENT ON FUNCTION api.publish_prompt(text, text, text, text) IS
  'Publish the next system prompt version of an agent and make it the active one.

{agent_slug, system_prompt, world_slug?, note?}: without world_slug, an installation agent (content_admin);
with it, that world''s agent (its owner and editors). system_prompt 1-32000 characters, note up to 500.
Returns the version. 400 for bad input, 403 for an agent you see but do not manage, 404 for one you cannot see.';
REVOKE ALL ON FUNCTION api.publish_prompt(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.publish_prompt(text, text, text, text) TO player, content_admin;

CREATE FUNCTION api.activate_prompt(agent_slug text, version integer, world_slug text DEFAULT NULL)
  RETURNS api.agent_prompts
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  a app.agents;
  p app.agent_prompts;
  result api.agent_prompts;
BEGIN
  IF version IS NULL OR version < 1 THEN
    RAISE EXCEPTION 'version must be a positive integer'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'GET /agent_prompts?agent_id=eq.<id>&select=version,note lists the versions.';
  END IF;
  a := app.agent_lookup(world_slug, agent_slug);
  PERFORM FROM app.agent_prompts x WHERE x.agent_id = a.id AND x.version = activate_prompt.version;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown prompt version',
                                'GET /agent_prompts?agent_id=eq.<id>&select=version,note lists the versions.',
                                pg_catalog.jsonb_build_object('agent_slug', a.slug, 'version', version));
  END IF;
  p := app.agent_prompt_activate(a, version);
  SELECT * INTO result FROM api.agent_prompts v WHERE v.id = p.id;
  RETURN result;
END
$$;
COMMENT ON FUNCTION api.activate_prompt(text, integer, text) IS
  'Make an existing prompt version the active one (a rollback): a pointer move, recorded with who and when.

{agent_slug, version, world_slug?}; the same callers as publish_prompt. Returns the version. 404 for an
unknown version.';
REVOKE ALL ON FUNCTION api.activate_prompt(text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.activate_prompt(text, integer, text) TO player, content_admin;

-- The agent {world_slug?, agent_slug} in any world, locked, for moderation.
CREATE FUNCTION app.agent_to_moderate(world_slug text, agent_slug text) RETURNS app.agents
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  a app.agents;
BEGIN
  SELECT x.* INTO a FROM app.agents x LEFT JOIN app.worlds w ON w.id = x.world_id
   WHERE x.slug = agent_to_moderate.agent_slug
     AND (agent_to_moderate.world_slug IS NULL AND x.world_id IS NULL OR w.slug = agent_to_moderate.world_slug)
   FOR UPDATE OF x;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown agent', 'Name the agent by agent_slug and, for a world''s agent, world_slug.',
                                pg_catalog.jsonb_build_object('agent_slug', pg_catalog.left(agent_slug, 64),
                                                              'world', pg_catalog.left(world_slug, 64)));
  END IF;
  RETURN a;
END
$$;
COMMENT ON FUNCTION app.agent_to_moderate(text, text) IS 'The agent of any world (or the installation), locked, or 404.';
REVOKE EXECUTE ON FUNCTION app.agent_to_moderate(text, text) FROM PUBLIC;

CREATE FUNCTION api.suspend_agent(agent_slug text, reason text, world_slug text DEFAULT NULL)
  RETURNS api.agents
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  a app.agents;
  result api.agents;
BEGIN
  IF reason IS NULL OR pg_catalog.char_length(reason) NOT BETWEEN 1 AND 500 OR pg_catalog.btrim(reason) = ''
     OR reason ~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' THEN
    RAISE EXCEPTION 'a suspension needs a reason of 1 to 500 characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Say why, e.g. "impersonates a real person"; newline is the only control character allowed.';
  END IF;
  a := app.agent_to_moderate(world_slug, agent_slug);
  UPDATE app.agents x SET moderation_status = 'suspended', moderation_reason = suspend_agent.reason, moderated_at = pg_catalog.now()
   WHERE x.id = a.id;
  SELECT * INTO result FROM api.agents v WHERE v.id = a.id;
  RETURN result;
END
$$;
COMMENT ON FUNCTION api.suspend_agent(text, text, text) IS
  'Suspend an agent of any world (content_admin), with a reason.

It disappears from GET /agents, routing and start_chat for players; its chats stay readable to their
participants and take no new messages (403 "this agent is suspended"). The world''s owner and editors still see
it, with moderation_status and moderation_reason. Suspending again replaces the reason.';
REVOKE ALL ON FUNCTION api.suspend_agent(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.suspend_agent(text, text, text) TO content_admin;

CREATE FUNCTION api.restore_agent(agent_slug text, world_slug text DEFAULT NULL)
  RETURNS api.agents
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  a app.agents := app.agent_to_moderate(world_slug, agent_slug);
  result api.agents;
BEGIN
  UPDATE app.agents x SET moderation_status = 'active', moderation_reason = NULL, moderated_at = pg_catalog.now()
   WHERE x.id = a.id AND x.moderation_status <> 'active';
  SELECT * INTO result FROM api.agents v WHERE v.id = a.id;
  RETURN result;
END
$$;
COMMENT ON FUNCTION api.restore_agent(text, text) IS
  'Lift an agent''s suspension (content_admin); it takes messages again. Restoring an active agent changes nothing.';
REVOKE ALL ON FUNCTION api.restore_agent(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.restore_agent(text, text) TO content_admin;

COMMIT;
