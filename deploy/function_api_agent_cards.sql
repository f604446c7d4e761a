-- Deploy arkagentic:function_api_agent_cards to pg
-- requires: function_api_agents function_app_agents
-- Character Card V2 (spec "chara_card_v2", spec_version "2.0", the fields under "data"; issue 13) import
-- and export. Import makes an agent: data.name its name (and, unless given, its slug), data.first_mes its
-- greeting, data.tags its routing keywords, and the prompt is composed from data.system_prompt,
-- description, personality and scenario. The whole card is kept with the prompt version it made
-- (app.agent_prompts.card), extensions included, so that export gives it back equal; what changed on the
-- agent since (name, greeting, keywords, a later prompt) is written into the exported card's fields.

BEGIN;

-- The card's data object, or 400 saying what is wrong: not an object, over 256 KB, another spec, no data,
-- no name, a field of the wrong type.
CREATE FUNCTION app.card_data(card jsonb) RETURNS jsonb
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = ''
  AS $$
DECLARE
  data jsonb;
  field text;
BEGIN
  IF card IS NULL OR pg_catalog.jsonb_typeof(card) <> 'object' THEN
    RAISE EXCEPTION 'a character card is a JSON object'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send {"card": {"spec": "chara_card_v2", "spec_version": "2.0", "data": {...}}}.';
  END IF;
  IF pg_catalog.octet_length(card::text) > 262144 THEN
    RAISE EXCEPTION 'the character card is larger than 256 KB'
      USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('limit_bytes', 262144)::text,
            HINT = 'Shorten the card (its lorebook or example messages).';
  END IF;
  IF card -> 'spec' IS DISTINCT FROM '"chara_card_v2"'::jsonb THEN
    RAISE EXCEPTION 'not a Character Card V2: spec must be chara_card_v2'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Only Character Card V2 cards are accepted: {"spec": "chara_card_v2", "spec_version": "2.0", "data": {...}}.';
  END IF;
  IF card ? 'spec_version' AND (pg_catalog.jsonb_typeof(card -> 'spec_version') <> 'string' OR card ->> 'spec_version' !~ '^2\.[0-9]+$') THEN
    RAISE EXCEPTION 'unsupported spec_version: a V2 card says 2.0'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send "spec_version": "2.0".';
  END IF;
  data := card -> 'data';
  IF data IS NULL OR pg_catalog.jsonb_typeof(data) <> 'object' THEN
    RAISE EXCEPTION 'the character card has no data object'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A V2 card keeps its fields under "data".';
  END IF;
  IF pg_catalog.jsonb_typeof(data -> 'name') IS DISTINCT FROM 'string' OR pg_catalog.btrim(data ->> 'name') = '' THEN
    RAISE EXCEPTION 'the character card has no name'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Set data.name to the character''s name.';
  END IF;
  FOREACH field IN ARRAY ARRAY['description', 'personality', 'scenario', 'first_mes', 'mes_example', 'creator_notes',
                               'system_prompt', 'post_history_instructions', 'creator', 'character_version'] LOOP
    IF data ? field AND pg_catalog.jsonb_typeof(data -> field) NOT IN ('string', 'null') THEN
      RAISE EXCEPTION 'a character card field that holds text is not a string'
        USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('field', field)::text,
              HINT = 'description, personality, scenario, first_mes, mes_example, system_prompt and the other text fields are strings.';
    END IF;
  END LOOP;
  FOREACH field IN ARRAY ARRAY['tags', 'alternate_greetings'] LOOP
    IF data ? field AND (pg_catalog.jsonb_typeof(data -> field) <> 'array'
                         OR EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(data -> field) e
                                     WHERE pg_catalog.jsonb_typeof(e) <> 'string')) THEN
      RAISE EXCEPTION 'a character card list is not a list of strings'
        USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('field', field)::text,
              HINT = 'tags and alternate_greetings are arrays of strings.';
    END IF;
  END LOOP;
  IF data ? 'extensions' AND pg_catalog.jsonb_typeof(data -> 'extensions') <> 'object' THEN
    RAISE EXCEPTION 'the character card''s extensions are not an object'
      USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('field', 'extensions')::text,
            HINT = 'extensions is an object, e.g. {}.';
  END IF;
  RETURN data;
END
$$;
COMMENT ON FUNCTION app.card_data(jsonb) IS 'The data object of a Character Card V2, or 22023 for a card that is not one (over 256 KB, another spec, no name, wrong types).';
REVOKE EXECUTE ON FUNCTION app.card_data(jsonb) FROM PUBLIC;

-- What an agent takes from a card's data: {name, greeting, routing_keywords, system_prompt}. Text becomes a
-- valid chat message (CR LF and CR become LF, other control and bidi characters are dropped); the greeting
-- is cut at 2,000 characters; tags become keywords when they fit the keyword rule (lower-cased, at most 32).
CREATE FUNCTION app.card_agent_fields(data jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE
  SET search_path = ''
  AS $$
  WITH t AS (
    SELECT normalize(pg_catalog.btrim(data ->> 'name', E' \t\n\r'), NFC) AS name,
           pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.regexp_replace(coalesce(data ->> 'first_mes', ''), E'\r\n?', E'\n', 'g'),
                                                      '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]', '', 'g'), E' \n') AS first_mes,
           ARRAY(SELECT k FROM (SELECT DISTINCT ON (k) k, o
                                   FROM pg_catalog.jsonb_array_elements_text(coalesce(data -> 'tags', '[]')) WITH ORDINALITY AS e(tag, o),
                                        LATERAL (SELECT pg_catalog.lower(pg_catalog.btrim(e.tag)) AS k) l
                                  WHERE l.k ~ '^[a-z0-9-]{1,32}$'
                                  ORDER BY k, o) d
                  ORDER BY o LIMIT 32) AS keywords,
           pg_catalog.array_to_string(ARRAY[
             nullif(pg_catalog.btrim(coalesce(data ->> 'system_prompt', ''), E' \t\n\r'), ''),
             nullif(pg_catalog.btrim(coalesce(data ->> 'description', ''), E' \t\n\r'), ''),
             'Personality: ' || nullif(pg_catalog.btrim(coalesce(data ->> 'personality', ''), E' \t\n\r'), ''),
             'Scenario: ' || nullif(pg_catalog.btrim(coalesce(data ->> 'scenario', ''), E' \t\n\r'), '')], E'\n\n') AS prompt)
  SELECT pg_catalog.jsonb_build_object(
           'name', t.name,
           'greeting', CASE WHEN t.first_mes = '' THEN pg_catalog.left('Hello, I''m ' || t.name || '.', 2000)
                            ELSE pg_catalog.rtrim(pg_catalog.left(t.first_mes, 2000)) END,
           'routing_keywords', pg_catalog.to_jsonb(t.keywords),
           'system_prompt', CASE WHEN t.prompt = '' THEN 'You are ' || t.name || '.' ELSE t.prompt END)
    FROM t
$$;
COMMENT ON FUNCTION app.card_agent_fields(jsonb) IS
  'The name, greeting, routing keywords and system prompt an agent takes from a card''s data.';
REVOKE EXECUTE ON FUNCTION app.card_agent_fields(jsonb) FROM PUBLIC;

-- A slug from a name: lowercase ASCII letters and digits, other runs as one dash; "agent" when none is left.
CREATE FUNCTION app.slug_from_name(name text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT
  SET search_path = ''
  AS $$
  SELECT coalesce(nullif(pg_catalog.btrim(pg_catalog.left(
           pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.lower(name), '[^a-z0-9]+', '-', 'g'), '-'), 64), '-'), ''), 'agent')
$$;
COMMENT ON FUNCTION app.slug_from_name(text) IS 'A slug derived from a name, e.g. "Captain Nemo!" -> captain-nemo; agent when no letter or digit is left.';
REVOKE EXECUTE ON FUNCTION app.slug_from_name(text) FROM PUBLIC;

CREATE FUNCTION api.import_character_card(world_slug text, card jsonb, slug text DEFAULT NULL, role text DEFAULT NULL,
                                          emoji text DEFAULT NULL, sprite_key text DEFAULT NULL)
  RETURNS api.agents
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  data jsonb := app.card_data(card);
  f jsonb := app.card_agent_fields(data);
  w app.worlds;
  a app.agents;
  result api.agents;
BEGIN
  IF world_slug IS NULL THEN
    RAISE EXCEPTION 'world_slug is required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Cards are imported into a world you own or edit.';
  END IF;
  w := app.agent_world(world_slug);
  a := app.agent_create(w,
         coalesce(slug, app.slug_from_name(f ->> 'name')),
         f ->> 'name',
         coalesce(role, 'Character'),
         coalesce(emoji, '🎭'),
         coalesce(sprite_key, (SELECT s.key FROM app.agent_sprites s ORDER BY s.key LIMIT 1)),
         f ->> 'greeting',
         ARRAY(SELECT pg_catalog.jsonb_array_elements_text(f -> 'routing_keywords')),
         f ->> 'system_prompt',
         card);
  SELECT * INTO result FROM api.agents v WHERE v.id = a.id;
  RETURN result;
END
$$;
COMMENT ON FUNCTION api.import_character_card(text, jsonb, text, text, text, text) IS
  'Create an agent in a world you own or edit from a Character Card V2 ({"spec": "chara_card_v2", "spec_version": "2.0", "data": {...}}).

data.name becomes the name and, unless slug is given, the slug (lowercase letters and digits, other runs as a
dash; a taken slug is a 409); data.first_mes the greeting (cut at 2000 characters; "Hello, I''m <name>." when
empty); data.tags the routing keywords (lower-cased; tags that break the keyword rule stay in the card only);
the prompt is data.system_prompt, description, "Personality: " personality and "Scenario: " scenario, in that
order, separated by blank lines. role defaults to Character, emoji to 🎭, sprite_key to the alphabetically first
of GET /agent_sprites. The whole card is kept, extensions included: export_character_card returns it equal.
400 for a card over 256 KB, another spec, no name or a field of the wrong type; otherwise as create_agent.';
REVOKE ALL ON FUNCTION api.import_character_card(text, jsonb, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.import_character_card(text, jsonb, text, text, text, text) TO player;

-- The card of agent a with its active prompt p: the imported card with what changed on the agent since
-- written into it, or a new card.
CREATE FUNCTION app.agent_card(a app.agents, p app.agent_prompts) RETURNS jsonb
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
DECLARE
  source app.agent_prompts;
  card jsonb;
  was jsonb;
BEGIN
  SELECT * INTO source FROM app.agent_prompts x WHERE x.agent_id = a.id AND x.card IS NOT NULL ORDER BY x.version DESC LIMIT 1;
  IF NOT FOUND THEN
    RETURN pg_catalog.jsonb_build_object('spec', 'chara_card_v2', 'spec_version', '2.0', 'data', pg_catalog.jsonb_build_object(
      'name', a.name, 'description', '', 'personality', '', 'scenario', '', 'first_mes', a.greeting, 'mes_example', '',
      'creator_notes', a.role, 'system_prompt', p.system_prompt, 'post_history_instructions', '',
      'alternate_greetings', '[]'::jsonb, 'tags', pg_catalog.to_jsonb(a.routing_keywords), 'creator', '',
      'character_version', p.version::text,
      'extensions', pg_catalog.jsonb_build_object('arkagentic', pg_catalog.jsonb_build_object(
        'slug', a.slug, 'role', a.role, 'emoji', a.emoji, 'sprite_key', a.sprite_key))));
  END IF;
  card := source.card;
  was := app.card_agent_fields(card -> 'data');
  IF a.name IS DISTINCT FROM was ->> 'name' THEN
    card := pg_catalog.jsonb_set(card, '{data,name}', pg_catalog.to_jsonb(a.name));
  END IF;
  IF a.greeting IS DISTINCT FROM was ->> 'greeting' THEN
    card := pg_catalog.jsonb_set(card, '{data,first_mes}', pg_catalog.to_jsonb(a.greeting));
  END IF;
  IF pg_catalog.to_jsonb(a.routing_keywords) IS DISTINCT FROM was -> 'routing_keywords' THEN
    -- The tags that never were keywords stay; the keywords follow.
    card := pg_catalog.jsonb_set(card, '{data,tags}', pg_catalog.to_jsonb(ARRAY(
      SELECT e.tag FROM pg_catalog.jsonb_array_elements_text(coalesce(card -> 'data' -> 'tags', '[]')) WITH ORDINALITY AS e(tag, o)
       WHERE pg_catalog.lower(pg_catalog.btrim(e.tag)) !~ '^[a-z0-9-]{1,32}$' ORDER BY e.o) || a.routing_keywords));
  END IF;
  IF p.version IS DISTINCT FROM source.version AND p.system_prompt IS DISTINCT FROM source.system_prompt THEN
    card := pg_catalog.jsonb_set(card, '{data,system_prompt}', pg_catalog.to_jsonb(p.system_prompt));
  END IF;
  RETURN card;
END
$$;
COMMENT ON FUNCTION app.agent_card(app.agents, app.agent_prompts) IS
  'The Character Card V2 of an agent: its imported card as imported, with later changes to name, greeting, keywords and prompt written in; a new card otherwise.';
REVOKE EXECUTE ON FUNCTION app.agent_card(app.agents, app.agent_prompts) FROM PUBLIC;

CREATE FUNCTION api.export_character_card(agent_slug text, world_slug text DEFAULT NULL)
  RETURNS jsonb
  LANGUAGE plpgsql VOLATILE  -- app.agent_world may record a visit to an unlisted world
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  a app.agents;
  p app.agent_prompts;
BEGIN
  IF app.request_role() = 'agent_service' THEN
    -- agent_service reads every agent's active prompt, so it may export any agent.
    SELECT x.* INTO a FROM app.agents x
     WHERE x.slug = export_character_card.agent_slug AND x.world_id IS NOT DISTINCT FROM (app.agent_world(world_slug)).id;
    IF NOT FOUND THEN
      PERFORM app.raise_api_error(404, 'PT404', 'unknown agent', 'GET /agents?select=slug,world_id lists the agents.',
                                  pg_catalog.jsonb_build_object('agent_slug', pg_catalog.left(agent_slug, 64)));
    END IF;
  ELSE
    -- Whoever reads an agent's prompts manages it: its world's owner and editors, content_admin for the installation's.
    a := app.agent_lookup(world_slug, agent_slug);
  END IF;
  SELECT * INTO p FROM app.agent_prompts x WHERE x.agent_id = a.id AND x.is_active;
  RETURN app.agent_card(a, p);
END
$$;
COMMENT ON FUNCTION api.export_character_card(text, text) IS
  'The agent as a Character Card V2 (whoever may read its prompts: its world''s owner and editors, content_admin for installation agents, agent_service).

An imported agent gives back its card, extensions included, equal to what was imported; a name, greeting, keywords
or prompt changed since is written into data.name, first_mes, tags and system_prompt. An agent made by
create_agent gets a new card with extensions.arkagentic {slug, role, emoji, sprite_key}. 403 for an agent you see
but do not manage, 404 for one you cannot see.';
REVOKE ALL ON FUNCTION api.export_character_card(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.export_character_card(text, text) TO player, agent_service, content_admin;

COMMIT;
