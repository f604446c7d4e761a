-- Deploy arkagentic:table_agents_world to pg
-- requires: table_agents table_agent_prompts table_worlds function_app_validators table_chat_messages_content_check_function trigger_content_keeps_history
-- Custom agents (issue 13). An agent belongs to a world (world_id) or, with NULL, to the installation
-- (today's five). A slug is unique within its world, and installation slugs among themselves (NULLS NOT
-- DISTINCT); a world's agent may share a slug with an installation agent, and then it is the one that
-- world's players meet. Appearance names a row of the agent sprite registry. Moderation: content_admin
-- suspends an agent with a reason. Prompt versions stay append-only and immutable, with an optional note,
-- who published them, and the Character Card V2 they were imported from; every move of the active
-- pointer is recorded in app.agent_prompt_activations (who and when). The display rules of the issue
-- (name 1-64 without deceptive characters, role up to 64, greeting up to 2,000 and a valid chat message,
-- up to 32 keywords of 1-32 characters, prompts up to 32,000) are CHECKs, so every path obeys them.

BEGIN;

-- The agent sprite registry: the sprites an agent may wear. Today's agents' sprites are its first rows.
CREATE TABLE app.agent_sprites (
  key        text PRIMARY KEY CONSTRAINT agent_sprites_key_shape CHECK (key ~ '^[a-z0-9_-]{1,32}$'),
  name       text NOT NULL CONSTRAINT agent_sprites_name_length CHECK (pg_catalog.char_length(name) BETWEEN 1 AND 64
                                                                 AND name !~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]'),
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app.agent_sprites IS 'Sprites an agent may wear (sprite_key); content_admin adds more.';
ALTER TABLE app.agent_sprites ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.agent_sprites FORCE ROW LEVEL SECURITY;
REVOKE ALL ON app.agent_sprites FROM PUBLIC;
INSERT INTO app.agent_sprites (key, name)
SELECT DISTINCT a.sprite_key, pg_catalog.initcap(a.sprite_key) FROM app.agents a;

ALTER TABLE app.agents
  ADD COLUMN world_id uuid CONSTRAINT agents_world_id_fkey REFERENCES app.worlds (id) ON DELETE CASCADE,
  ADD COLUMN moderation_status text NOT NULL DEFAULT 'active'
    CONSTRAINT agents_moderation_status_known CHECK (moderation_status IN ('active', 'suspended')),
  ADD COLUMN moderation_reason text
    CONSTRAINT agents_moderation_reason_shape CHECK (pg_catalog.char_length(moderation_reason) BETWEEN 1 AND 500
                                                     AND moderation_reason !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]'),
  ADD COLUMN moderated_at timestamptz,
  ADD CONSTRAINT agents_moderation_reason_when_suspended
    CHECK ((moderation_status = 'suspended') = (moderation_reason IS NOT NULL)),
  DROP CONSTRAINT agents_slug_key,
  ADD CONSTRAINT agents_world_slug_key UNIQUE NULLS NOT DISTINCT (world_id, slug),
  ADD CONSTRAINT agents_id_world_key UNIQUE NULLS NOT DISTINCT (id, world_id),
  ADD CONSTRAINT agents_sprite_key_fkey FOREIGN KEY (sprite_key) REFERENCES app.agent_sprites (key) ON UPDATE CASCADE,
  ADD CONSTRAINT agents_name_visible CHECK (name IS NFC NORMALIZED AND name = pg_catalog.btrim(name)
                                            AND app.display_name_problem(name) IS NULL),
  ADD CONSTRAINT agents_role_limit CHECK (pg_catalog.char_length(role) <= 64 AND role !~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]'),
  ADD CONSTRAINT agents_greeting_limit CHECK (pg_catalog.char_length(greeting) <= 2000 AND app.chat_content_ok(greeting, 'agent')
                                              AND greeting !~ '[\u202a-\u202e\u2066-\u2069]'),
  -- Joined with a comma, which no keyword holds, so each keyword is matched whole (agents_routing_keywords_shape
  -- joins with spaces and lets a keyword "two words" through).
  ADD CONSTRAINT agents_routing_keywords_limit
    CHECK (pg_catalog.cardinality(routing_keywords) <= 32 AND pg_catalog.array_position(routing_keywords, '') IS NULL
           AND pg_catalog.array_to_string(routing_keywords, ',') ~ '^([a-z0-9-]{1,32}(,[a-z0-9-]{1,32})*)?$');
CREATE INDEX agents_world_id_idx ON app.agents (world_id);
COMMENT ON COLUMN app.agents.world_id IS 'The world the agent belongs to; NULL for the installation''s agents, which content_admin edits.';
COMMENT ON COLUMN app.agents.moderation_status IS 'active, or suspended by content_admin: hidden from players, no new messages.';
COMMENT ON COLUMN app.agents.moderation_reason IS 'Why the agent is suspended (NULL while active).';
COMMENT ON COLUMN app.agents.moderated_at IS 'When the agent was last suspended or restored.';

-- An agent stays in its world.
CREATE FUNCTION app.agents_keep_world() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
BEGIN
  IF NEW.world_id IS DISTINCT FROM OLD.world_id THEN
    RAISE EXCEPTION 'an agent cannot move to another world'
      USING ERRCODE = 'check_violation', HINT = 'Create the agent in the other world instead (export its card and import it there).';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION app.agents_keep_world() IS 'Keeps an agent in its world.';
REVOKE EXECUTE ON FUNCTION app.agents_keep_world() FROM PUBLIC;
CREATE TRIGGER agents_keep_world BEFORE UPDATE OF world_id ON app.agents
  FOR EACH ROW EXECUTE FUNCTION app.agents_keep_world();

-- Prompt versions: their agent's world (for row-level security, kept equal by a composite foreign key),
-- an optional note, who published it, and the card it was imported from.
ALTER TABLE app.agent_prompts
  ADD COLUMN world_id uuid,
  ADD COLUMN note text CONSTRAINT agent_prompts_note_shape
    CHECK (pg_catalog.char_length(note) BETWEEN 1 AND 500 AND note !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]'),
  ADD COLUMN created_by uuid,
  ADD COLUMN created_by_role text NOT NULL DEFAULT 'owner'
    CONSTRAINT agent_prompts_created_by_role_known CHECK (created_by_role IN ('owner', 'player', 'content_admin')),
  ADD COLUMN card jsonb CONSTRAINT agent_prompts_card_size CHECK (pg_catalog.octet_length(card::text) <= 262144),
  ADD CONSTRAINT agent_prompts_agent_world_fkey FOREIGN KEY (agent_id, world_id)
    REFERENCES app.agents (id, world_id) ON UPDATE CASCADE;
-- 32,000 characters for new versions; history published under the old limit stays as it was.
ALTER TABLE app.agent_prompts ADD CONSTRAINT agent_prompts_length_32000
  CHECK (pg_catalog.char_length(system_prompt) <= 32000) NOT VALID;
CREATE INDEX agent_prompts_world_id_idx ON app.agent_prompts (world_id);
COMMENT ON COLUMN app.agent_prompts.world_id IS 'The agent''s world (NULL for an installation agent), set from agent_id.';
COMMENT ON COLUMN app.agent_prompts.note IS 'What changed in this version, like a commit message (optional).';
COMMENT ON COLUMN app.agent_prompts.created_by IS 'The player who published it; NULL for content_admin and the seed.';
COMMENT ON COLUMN app.agent_prompts.created_by_role IS 'player, content_admin, or owner (the seed and SQL).';
COMMENT ON COLUMN app.agent_prompts.card IS 'The Character Card V2 this version was imported from, whole (extensions included).';

-- The active pointer's history: every activation, by whom and when. Append-only.
CREATE TABLE app.agent_prompt_activations (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agent_id     uuid NOT NULL,
  world_id     uuid,
  version      integer NOT NULL,
  activated_by uuid,
  activated_by_role text NOT NULL CONSTRAINT agent_prompt_activations_role_known
    CHECK (activated_by_role IN ('owner', 'player', 'content_admin')),
  activated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agent_prompt_activations_version_fkey FOREIGN KEY (agent_id, version)
    REFERENCES app.agent_prompts (agent_id, version) ON DELETE CASCADE  -- only the owner deletes a version
);
CREATE INDEX agent_prompt_activations_agent_idx ON app.agent_prompt_activations (agent_id, version, activated_at DESC);
CREATE INDEX agent_prompt_activations_world_idx ON app.agent_prompt_activations (world_id);
COMMENT ON TABLE app.agent_prompt_activations IS 'Each move of an agent''s active prompt pointer (publish or activate): which version, who, when.';
ALTER TABLE app.agent_prompt_activations ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.agent_prompt_activations FORCE ROW LEVEL SECURITY;
REVOKE ALL ON app.agent_prompt_activations FROM PUBLIC;

-- world_id of a prompt version or an activation is its agent's, whoever writes the row.
CREATE FUNCTION app.agent_rows_world() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- the agent may be one the caller cannot read; row-level security then refuses the row
  SET search_path = ''
  AS $$
BEGIN
  NEW.world_id := (SELECT a.world_id FROM app.agents a WHERE a.id = NEW.agent_id);
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION app.agent_rows_world() IS 'Sets world_id of a prompt version or activation to its agent''s.';
REVOKE EXECUTE ON FUNCTION app.agent_rows_world() FROM PUBLIC;
CREATE TRIGGER agent_prompts_world BEFORE INSERT ON app.agent_prompts
  FOR EACH ROW EXECUTE FUNCTION app.agent_rows_world();
CREATE TRIGGER agent_prompt_activations_world BEFORE INSERT ON app.agent_prompt_activations
  FOR EACH ROW EXECUTE FUNCTION app.agent_rows_world();

-- What app.agent_prompts_guard keeps immutable, for the columns added here; activations never change.
CREATE FUNCTION app.agent_prompts_append_only() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
BEGIN
  IF TG_TABLE_NAME = 'agent_prompt_activations' THEN
    RAISE EXCEPTION 'a published prompt version cannot be changed'
      USING ERRCODE = 'check_violation', HINT = 'An activation is history: activate another version instead.';
  ELSIF (NEW.world_id, NEW.note, NEW.created_by, NEW.created_by_role, NEW.card)
        IS DISTINCT FROM (OLD.world_id, OLD.note, OLD.created_by, OLD.created_by_role, OLD.card) THEN
    RAISE EXCEPTION 'a published prompt version cannot be changed'
      USING ERRCODE = 'check_violation', HINT = 'Publish a new version instead.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION app.agent_prompts_append_only() IS 'Keeps a version''s note, author, world and card, and every activation, as written.';
REVOKE EXECUTE ON FUNCTION app.agent_prompts_append_only() FROM PUBLIC;
CREATE TRIGGER agent_prompts_append_only BEFORE UPDATE ON app.agent_prompts
  FOR EACH ROW EXECUTE FUNCTION app.agent_prompts_append_only();
CREATE TRIGGER agent_prompt_activations_append_only BEFORE UPDATE ON app.agent_prompt_activations
  FOR EACH ROW EXECUTE FUNCTION app.agent_prompts_append_only();

-- Today's active versions, recorded as activated by the owner when they were published.
INSERT INTO app.agent_prompt_activations (agent_id, version, activated_by_role, activated_at)
SELECT p.agent_id, p.version, 'owner', p.created_at FROM app.agent_prompts p WHERE p.is_active;

-- A world deleted (its owner's account purged, or by a DBA) takes its agents along with their prompt
-- history; an agent that players chatted with still keeps the world (app.agents_keep_history answers
-- 409), as the chats in its rooms do.
CREATE FUNCTION app.worlds_drop_agents() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- whoever deletes the world cannot delete prompt history themselves
  SET search_path = ''
  AS $$
BEGIN
  DELETE FROM app.agent_prompts x WHERE x.world_id = OLD.id;
  RETURN OLD;
END
$$;
COMMENT ON FUNCTION app.worlds_drop_agents() IS 'Deletes the prompt history of a world''s agents when the world is deleted, so that they go with it.';
REVOKE EXECUTE ON FUNCTION app.worlds_drop_agents() FROM PUBLIC;
CREATE TRIGGER worlds_drop_agents BEFORE DELETE ON app.worlds
  FOR EACH ROW EXECUTE FUNCTION app.worlds_drop_agents();

-- How many agents a world may have.
ALTER TABLE app.world_settings
  ADD COLUMN max_agents_per_world integer NOT NULL DEFAULT 20
    CONSTRAINT world_settings_max_agents_range CHECK (max_agents_per_world BETWEEN 0 AND 1000);
COMMENT ON COLUMN app.world_settings.max_agents_per_world IS 'How many agents a player''s world may have (create_agent and import_character_card).';

-- The CHECKs above run as whoever writes an agent.
GRANT EXECUTE ON FUNCTION app.display_name_problem(text) TO content_admin;
GRANT EXECUTE ON FUNCTION app.chat_content_ok(text, text) TO player, content_admin;

COMMIT;
