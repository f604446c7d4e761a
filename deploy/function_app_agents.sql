-- Deploy arkagentic:function_app_agents to pg
-- requires: table_agents_world policy_agents_world function_app_world_access function_app_raise function_app_validators
-- The agent rules the api functions share (issue 13), each in one place:
--   * app.agent_id_in_world: which agent a slug names inside a world (the world's, else the installation's);
--   * app.agent_manageable: who manages an agent (its world's owner and editors; content_admin for the
--     installation's), by app.editable_world_ids;
--   * app.agent_visible: who meets an agent (active, not suspended, installation or a readable world);
--   * app.agent_lookup / app.chat_agent: an agent named by {world_slug?, agent_slug} for managing or chatting;
--   * app.agent_chat_open: a suspended agent, or one whose world the sender may no longer enter, takes no
--     new message;
--   * the input checks, and app.agent_create / app.agent_prompt_publish / app.agent_prompt_activate, which
--     write an agent, a version and the active pointer with its audit row.

BEGIN;

-- The agent a slug names in a world: the world's own, else the installation's, else NULL. It follows the
-- caller's row-level security (an agent the caller cannot read is not found), so a world's builder resolves
-- `agent` properties of agent_room buildings with it.
CREATE FUNCTION app.agent_id_in_world(p_world_id uuid, p_slug text) RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = ''
  AS $$
  SELECT a.id FROM app.agents a
   WHERE a.slug = p_slug AND (a.world_id = p_world_id OR a.world_id IS NULL)
   ORDER BY a.world_id IS NULL
   LIMIT 1
$$;
COMMENT ON FUNCTION app.agent_id_in_world(uuid, text) IS
  'The agent with this slug in the world, else the installation''s agent with it, else NULL (as the caller may read them).';
REVOKE EXECUTE ON FUNCTION app.agent_id_in_world(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.agent_id_in_world(uuid, text) TO web_anon, player, agent_service, content_admin;

-- The role of the request: player, content_admin, agent_service or web_anon.
CREATE FUNCTION app.request_role() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = ''
  AS $$ SELECT coalesce(auth.claims() ->> 'role', 'web_anon') $$;
COMMENT ON FUNCTION app.request_role() IS 'The role claim of the request (web_anon without a token).';
REVOKE EXECUTE ON FUNCTION app.request_role() FROM PUBLIC;

-- May the caller manage (edit, publish, activate) an agent of this world (NULL: the installation)?
CREATE FUNCTION app.agent_manageable(world_id uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
BEGIN
  IF world_id IS NULL THEN
    RETURN app.request_role() = 'content_admin';
  END IF;
  RETURN app.request_role() = 'player' AND world_id = ANY (app.editable_world_ids());
END
$$;
COMMENT ON FUNCTION app.agent_manageable(uuid) IS
  'True when the caller manages agents of this world: its owner and editors (app.editable_world_ids), content_admin for the installation (NULL).';
REVOKE EXECUTE ON FUNCTION app.agent_manageable(uuid) FROM PUBLIC;

-- Does uid (NULL: web_anon or a service) meet this agent in lists, routing and chat?
CREATE FUNCTION app.agent_visible(a app.agents, uid uuid) RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path = ''
  AS $$
  SELECT a.is_active AND a.moderation_status = 'active'
     AND (a.world_id IS NULL OR a.world_id = ANY (app.readable_world_ids(uid)))
$$;
COMMENT ON FUNCTION app.agent_visible(app.agents, uuid) IS
  'Active, not suspended, and of the installation or a world uid may read: what GET /agents shows players.';
REVOKE EXECUTE ON FUNCTION app.agent_visible(app.agents, uuid) FROM PUBLIC;

-- The world named by world_slug for managing or reading its agents, as the caller may see it; NULL for the
-- installation (no slug). 404 unknown world otherwise, whether it does not exist or is hidden.
CREATE FUNCTION app.agent_world(world_slug text) RETURNS app.worlds
  LANGUAGE plpgsql VOLATILE  -- app.world_by_slug records a visit to an unlisted world
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds;
BEGIN
  IF world_slug IS NULL THEN
    RETURN NULL;
  END IF;
  IF app.request_role() = 'player' THEN
    w := app.world_by_slug(world_slug, auth.user_id());
  ELSIF app.request_role() = 'content_admin' THEN
    SELECT * INTO w FROM app.worlds x WHERE x.slug = world_slug AND x.id = ANY (app.admin_readable_world_ids());
  ELSIF app.request_role() = 'agent_service' THEN
    SELECT * INTO w FROM app.worlds x WHERE x.slug = world_slug;
  END IF;
  IF w.id IS NULL THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown world', 'GET /worlds lists the worlds you may see.',
                                pg_catalog.jsonb_build_object('world', pg_catalog.left(world_slug, 64)));
  END IF;
  RETURN w;
END
$$;
COMMENT ON FUNCTION app.agent_world(text) IS 'The world of {world_slug} as the caller may see it (NULL: the installation), or 404.';
REVOKE EXECUTE ON FUNCTION app.agent_world(text) FROM PUBLIC;

-- The agent {world_slug?, agent_slug} to manage, locked: 404 when the caller cannot see it, 403 when they
-- see it but do not manage it. The lock orders publishers and activators of one agent.
CREATE FUNCTION app.agent_lookup(world_slug text, agent_slug text) RETURNS app.agents
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds := app.agent_world(world_slug);
  a app.agents;
BEGIN
  SELECT * INTO a FROM app.agents x
   WHERE x.slug = agent_lookup.agent_slug AND x.world_id IS NOT DISTINCT FROM w.id
   FOR UPDATE;
  IF FOUND AND app.agent_manageable(a.world_id) THEN
    RETURN a;
  ELSIF FOUND AND (app.agent_visible(a, auth.user_id())
                   OR app.request_role() = 'content_admin' AND a.world_id IS NOT NULL) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the world''s owner and editors manage its agents',
                                'content_admin manages the installation''s agents; a world''s owner and editors manage the world''s.',
                                pg_catalog.jsonb_build_object('agent_slug', a.slug, 'world', world_slug));
  END IF;
  PERFORM app.raise_api_error(404, 'PT404', 'unknown agent', 'GET /agents?select=slug,world_id lists the agents you may see.',
                              pg_catalog.jsonb_build_object('agent_slug', pg_catalog.left(agent_slug, 64),
                                                            'world', pg_catalog.left(world_slug, 64)));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION app.agent_lookup(text, text) IS
  'The agent {world_slug, agent_slug} the caller manages, locked FOR UPDATE; 403 for one they only see, 404 otherwise.';
REVOKE EXECUTE ON FUNCTION app.agent_lookup(text, text) FROM PUBLIC;

-- The agent uid chats with: in the world world_slug (which uid must be allowed in: app.world_may_enter) the
-- world's agent with that slug, else the installation's; without a world, the installation's. Only one uid
-- meets (app.agent_visible); NULL otherwise, which the caller answers as unknown.
CREATE FUNCTION app.chat_agent(world_slug text, agent_slug text, uid uuid) RETURNS app.agents
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds;
  a app.agents;
BEGIN
  IF world_slug IS NOT NULL THEN
    w := app.world_by_slug(world_slug, uid);
    IF w.id IS NULL OR NOT app.world_may_enter(w, uid) THEN
      RETURN NULL;
    END IF;
  END IF;
  SELECT * INTO a FROM app.agents x WHERE x.id = app.agent_id_in_world(w.id, agent_slug);
  IF NOT FOUND OR NOT app.agent_visible(a, uid) THEN
    RETURN NULL;
  END IF;
  RETURN a;
END
$$;
COMMENT ON FUNCTION app.chat_agent(text, text, uuid) IS
  'The agent uid may chat with under {world_slug?, agent_slug}, or NULL.';
REVOKE EXECUTE ON FUNCTION app.chat_agent(text, text, uuid) FROM PUBLIC;

-- Refuses a new message into an agent's session: 403 while the agent is suspended, and 403 for a player
-- (uid) who may no longer enter the agent's world. What is stored stays readable.
CREATE FUNCTION app.agent_chat_open(agent_id uuid, uid uuid) RETURNS void
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
DECLARE
  a app.agents;
  w app.worlds;
BEGIN
  SELECT * INTO a FROM app.agents x WHERE x.id = agent_chat_open.agent_id;
  IF a.moderation_status = 'suspended' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'this agent is suspended',
                                'Its chats stay readable; it takes no new messages until content_admin restores it.',
                                pg_catalog.jsonb_build_object('agent_slug', a.slug));
  END IF;
  IF uid IS NOT NULL AND a.world_id IS NOT NULL THEN
    SELECT * INTO w FROM app.worlds x WHERE x.id = a.world_id;
    IF NOT app.world_may_enter(w, uid) THEN
      PERFORM app.raise_api_error(403, 'PT403', 'you may no longer enter this agent''s world',
                                  'Its chats stay readable; ask the world''s owner for an invitation.',
                                  pg_catalog.jsonb_build_object('agent_slug', a.slug));
    END IF;
  END IF;
END
$$;
COMMENT ON FUNCTION app.agent_chat_open(uuid, uuid) IS
  'Raises 403 when the agent is suspended, or its world is closed to uid: no new message in its sessions.';
REVOKE EXECUTE ON FUNCTION app.agent_chat_open(uuid, uuid) FROM PUBLIC;

-- Input checks: fixed messages and hints, the client's value never in them (the CHECKs on app.agents and
-- app.agent_prompts are the last word; these explain).
CREATE FUNCTION app.check_agent_name(name text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = ''
  AS $$
DECLARE
  trimmed text := normalize(pg_catalog.btrim(name, E' \t\n\r'), NFC);
  problem text := app.display_name_problem(trimmed);
BEGIN
  IF trimmed IS NULL OR pg_catalog.char_length(trimmed) NOT BETWEEN 1 AND 64 THEN
    RAISE EXCEPTION 'an agent name has 1 to 64 characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a name of 1 to 64 characters.';
  ELSIF problem IS NOT NULL THEN
    RAISE EXCEPTION 'an agent name must not contain control, invisible, format, bidi or unassigned characters'
      USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('reason', problem)::text,
            HINT = 'Use letters, digits, punctuation, symbols and spaces.';
  END IF;
  RETURN trimmed;
END
$$;
COMMENT ON FUNCTION app.check_agent_name(text) IS 'Trims and NFC-normalises an agent name, or raises 22023 (display-name rules, 1 to 64 characters).';
REVOKE EXECUTE ON FUNCTION app.check_agent_name(text) FROM PUBLIC;

CREATE FUNCTION app.check_agent_fields(slug text, role text, emoji text, sprite_key text, greeting text,
                                       routing_keywords text[]) RETURNS void
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
BEGIN
  IF slug IS NULL OR slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR pg_catalog.char_length(slug) > 64 THEN
    RAISE EXCEPTION 'malformed agent slug'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Use lowercase letters, digits and single dashes, at most 64 characters, e.g. tide-keeper.';
  END IF;
  IF role IS NULL OR pg_catalog.char_length(role) NOT BETWEEN 1 AND 64 OR pg_catalog.btrim(role) = ''
     OR role ~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]' THEN
    RAISE EXCEPTION 'malformed agent role'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use 1 to 64 characters, without control characters or bidi controls.';
  END IF;
  IF emoji IS NULL OR pg_catalog.char_length(emoji) NOT BETWEEN 1 AND 16 OR emoji ~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]' THEN
    RAISE EXCEPTION 'malformed agent emoji'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use 1 to 16 characters, e.g. 🐙.';
  END IF;
  IF sprite_key IS NULL OR NOT EXISTS (SELECT FROM app.agent_sprites s WHERE s.key = sprite_key) THEN
    RAISE EXCEPTION 'unknown agent sprite'
      USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('sprite_key', pg_catalog.left(sprite_key, 64))::text,
            HINT = 'GET /agent_sprites lists the sprites an agent may wear.';
  END IF;
  IF greeting IS NULL OR pg_catalog.char_length(greeting) > 2000 OR NOT app.chat_content_ok(greeting, 'agent')
     OR greeting ~ '[\u202a-\u202e\u2066-\u2069]' THEN
    RAISE EXCEPTION 'malformed agent greeting'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Use 1 to 2000 characters, not blank, no control characters but newline, no bidi controls.';
  END IF;
  IF routing_keywords IS NULL OR pg_catalog.cardinality(routing_keywords) > 32
     OR pg_catalog.array_position(routing_keywords, NULL) IS NOT NULL OR pg_catalog.array_position(routing_keywords, '') IS NOT NULL
     OR pg_catalog.array_to_string(routing_keywords, ',') !~ '^([a-z0-9-]{1,32}(,[a-z0-9-]{1,32})*)?$' THEN
    RAISE EXCEPTION 'malformed routing keywords'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Send at most 32 keywords of 1 to 32 lowercase letters, digits and dashes.';
  END IF;
END
$$;
COMMENT ON FUNCTION app.check_agent_fields(text, text, text, text, text, text[]) IS
  'Raises 22023 for a malformed slug, role, emoji, greeting or keyword list, or an unknown sprite.';
REVOKE EXECUTE ON FUNCTION app.check_agent_fields(text, text, text, text, text, text[]) FROM PUBLIC;

CREATE FUNCTION app.check_prompt(system_prompt text, note text) RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = ''
  AS $$
BEGIN
  IF system_prompt IS NULL OR pg_catalog.char_length(system_prompt) NOT BETWEEN 1 AND 32000
     OR pg_catalog.btrim(system_prompt, E' \t\n\r') = '' THEN
    RAISE EXCEPTION 'a system prompt has 1 to 32000 characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a system_prompt of 1 to 32000 characters, not blank.';
  END IF;
  IF note IS NOT NULL AND (pg_catalog.char_length(note) NOT BETWEEN 1 AND 500
                           OR note ~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]') THEN
    RAISE EXCEPTION 'malformed prompt note'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use 1 to 500 characters; newline is the only control character allowed.';
  END IF;
END
$$;
COMMENT ON FUNCTION app.check_prompt(text, text) IS 'Raises 22023 for a system prompt outside 1 to 32000 characters or a malformed note.';
REVOKE EXECUTE ON FUNCTION app.check_prompt(text, text) FROM PUBLIC;

-- The caller as a prompt's author or activator.
CREATE FUNCTION app.author_role() RETURNS text
  LANGUAGE sql STABLE
  SET search_path = ''
  AS $$ SELECT CASE app.request_role() WHEN 'player' THEN 'player' WHEN 'content_admin' THEN 'content_admin' ELSE 'owner' END $$;
COMMENT ON FUNCTION app.author_role() IS 'player, content_admin, or owner (SQL without a request).';
REVOKE EXECUTE ON FUNCTION app.author_role() FROM PUBLIC;

-- Moves the active pointer of agent a (locked by the caller) to version v and records who and when.
CREATE FUNCTION app.agent_prompt_activate(a app.agents, v integer) RETURNS app.agent_prompts
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  p app.agent_prompts;
BEGIN
  UPDATE app.agent_prompts x SET is_active = false WHERE x.agent_id = a.id AND x.is_active AND x.version <> v;
  UPDATE app.agent_prompts x SET is_active = true WHERE x.agent_id = a.id AND x.version = v RETURNING * INTO p;
  INSERT INTO app.agent_prompt_activations (agent_id, version, activated_by, activated_by_role)
  VALUES (a.id, v, auth.user_id(), app.author_role());
  RETURN p;
END
$$;
COMMENT ON FUNCTION app.agent_prompt_activate(app.agents, integer) IS
  'Makes version v the only active prompt of the (locked) agent and records the activation.';
REVOKE EXECUTE ON FUNCTION app.agent_prompt_activate(app.agents, integer) FROM PUBLIC;

-- Appends the next version to the (locked) agent and makes it active.
CREATE FUNCTION app.agent_prompt_publish(a app.agents, system_prompt text, note text, card jsonb DEFAULT NULL)
  RETURNS app.agent_prompts
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  v integer;
BEGIN
  PERFORM app.check_prompt(system_prompt, note);
  SELECT coalesce(pg_catalog.max(p.version), 0) + 1 INTO v FROM app.agent_prompts p WHERE p.agent_id = a.id;
  INSERT INTO app.agent_prompts (agent_id, version, system_prompt, is_active, note, created_by, created_by_role, card)
  VALUES (a.id, v, system_prompt, false, note, auth.user_id(), app.author_role(), card);
  RETURN app.agent_prompt_activate(a, v);
END
$$;
COMMENT ON FUNCTION app.agent_prompt_publish(app.agents, text, text, jsonb) IS
  'Appends the next prompt version of the (locked) agent, with its note and card, and makes it active.';
REVOKE EXECUTE ON FUNCTION app.agent_prompt_publish(app.agents, text, text, jsonb) FROM PUBLIC;

-- Creates an agent in world w (managed by the caller) with its first version: at most
-- app.world_settings.max_agents_per_world per world, counted under a lock on the world's agents.
CREATE FUNCTION app.agent_create(w app.worlds, slug text, name text, role text, emoji text, sprite_key text,
                                 greeting text, routing_keywords text[], system_prompt text, card jsonb DEFAULT NULL)
  RETURNS app.agents
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  clean_name text := app.check_agent_name(name);
  limit_ integer;
  a app.agents;
BEGIN
  PERFORM app.check_agent_fields(slug, role, emoji, sprite_key, greeting, routing_keywords);
  PERFORM app.check_prompt(system_prompt, NULL);
  IF NOT app.agent_manageable(w.id) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the world''s owner and editors manage its agents',
                                'Ask the world''s owner to make you an editor.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  -- Concurrent creators of one world count one after the other.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('app.agents world ' || w.id::text, 0));
  SELECT s.max_agents_per_world INTO limit_ FROM app.world_settings s;
  IF (SELECT pg_catalog.count(*) FROM app.agents x WHERE x.world_id = w.id) >= limit_ THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this world has as many agents as it may',
                                'Deactivate or reuse an agent instead.',
                                pg_catalog.jsonb_build_object('max_agents_per_world', limit_));
  END IF;
  BEGIN
    INSERT INTO app.agents (world_id, slug, name, role, emoji, sprite_key, greeting, routing_keywords)
    VALUES (w.id, slug, clean_name, role, emoji, sprite_key, greeting, routing_keywords)
    RETURNING * INTO a;
  EXCEPTION WHEN unique_violation THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this agent slug is taken in this world', 'Choose another slug.',
                                pg_catalog.jsonb_build_object('agent_slug', slug, 'world', w.slug));
  END;
  PERFORM app.agent_prompt_publish(a, system_prompt, NULL, card);
  RETURN a;
END
$$;
COMMENT ON FUNCTION app.agent_create(app.worlds, text, text, text, text, text, text, text[], text, jsonb) IS
  'Creates an agent of a world the caller manages, with prompt version 1; 403, 409 for a taken slug or a full world.';
REVOKE EXECUTE ON FUNCTION app.agent_create(app.worlds, text, text, text, text, text, text, text[], text, jsonb) FROM PUBLIC;

COMMIT;
