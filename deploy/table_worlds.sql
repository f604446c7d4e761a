-- Deploy arkagentic:table_worlds to pg
-- requires: table_users table_rooms function_app_validators
-- Worlds (issue 11): the unit of ownership. A world has one owner (a player, or nobody for the
-- installation's own worlds such as ark), members with roles, hashed invitations, bans with an optional
-- end, and visitors: signed-in players who asked for an unlisted world by its slug.

BEGIN;

CREATE TABLE app.worlds (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        app.slug NOT NULL CONSTRAINT worlds_slug_key UNIQUE,
  name        text NOT NULL CONSTRAINT worlds_name_shape
                CHECK (char_length(name) BETWEEN 1 AND 64 AND name !~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]'
                       AND btrim(name) <> ''),
  description text NOT NULL DEFAULT '' CONSTRAINT worlds_description_shape
                CHECK (char_length(description) <= 500 AND description !~ '[\x01-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]'),
  -- NULL for the installation's worlds, which content_admin edits; a player's world has its owner here
  -- and, as the same person, in world_members with role owner (both checked at commit).
  owner_id    uuid CONSTRAINT worlds_owner_id_fkey REFERENCES app.users (id) ON DELETE CASCADE,
  visibility  text NOT NULL DEFAULT 'public'
                CONSTRAINT worlds_visibility_known CHECK (visibility IN ('public', 'unlisted', 'private')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz
);
COMMENT ON TABLE app.worlds IS
  'Spaces with their own rooms: public (listed, open), unlisted (open to whoever has the slug) or private (members only). Archived ones are hidden from all but their owner.';
COMMENT ON COLUMN app.worlds.owner_id IS 'The owning player; NULL for the installation''s own worlds, which content_admin edits.';
CREATE INDEX worlds_owner_id_idx ON app.worlds (owner_id);
CREATE INDEX worlds_listed_idx ON app.worlds (id) WHERE visibility = 'public' AND archived_at IS NULL;

CREATE TABLE app.world_members (
  world_id  uuid NOT NULL REFERENCES app.worlds (id) ON DELETE CASCADE,
  user_id   uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  role      text NOT NULL CONSTRAINT world_members_role_known CHECK (role IN ('owner', 'editor', 'member')),
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (world_id, user_id)
);
COMMENT ON TABLE app.world_members IS 'Who belongs to a world, and as what. Exactly one owner per player-owned world.';
CREATE INDEX world_members_user_id_idx ON app.world_members (user_id) INCLUDE (world_id, role);
CREATE UNIQUE INDEX world_members_one_owner ON app.world_members (world_id) WHERE role = 'owner';

-- The owner named by worlds.owner_id is the one member with role owner, and a world without owner_id
-- has no owner member. Checked at commit, so that a transfer may change both rows in any order.
CREATE FUNCTION app.world_owner_check() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- runs for whichever role changed the row, and must see every member row
  SET search_path = ''
  AS $$
DECLARE
  world uuid;
  w app.worlds;
BEGIN
  IF TG_TABLE_NAME = 'worlds' THEN
    world := NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    world := OLD.world_id;
  ELSE
    world := NEW.world_id;
  END IF;
  SELECT * INTO w FROM app.worlds WHERE id = world;
  IF NOT FOUND THEN
    RETURN NULL;  -- the world itself is gone
  END IF;
  IF w.owner_id IS NULL AND EXISTS (SELECT FROM app.world_members m WHERE m.world_id = world AND m.role = 'owner')
     OR w.owner_id IS NOT NULL AND NOT EXISTS (
          SELECT FROM app.world_members m WHERE m.world_id = world AND m.user_id = w.owner_id AND m.role = 'owner')
  THEN
    RAISE EXCEPTION 'a world has exactly one owner: worlds.owner_id, a member with role owner'
      USING ERRCODE = 'integrity_constraint_violation',
            DETAIL = pg_catalog.jsonb_build_object('world', w.slug)::text,
            HINT = 'Change owners with api.transfer_ownership, which moves both rows together.';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION app.world_owner_check() IS 'Deferred check: worlds.owner_id is the one world_members row with role owner.';
REVOKE EXECUTE ON FUNCTION app.world_owner_check() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER worlds_one_owner AFTER INSERT OR UPDATE OF owner_id ON app.worlds
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.world_owner_check();
CREATE CONSTRAINT TRIGGER world_members_one_owner AFTER INSERT OR UPDATE OR DELETE ON app.world_members
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.world_owner_check();

CREATE TABLE app.world_invitations (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  world_id   uuid NOT NULL REFERENCES app.worlds (id) ON DELETE CASCADE,
  role       text NOT NULL DEFAULT 'member' CONSTRAINT world_invitations_role_known CHECK (role IN ('editor', 'member')),
  -- SHA-256 of the token. The token itself is shown once, by api.invite, and stored nowhere.
  token_hash bytea NOT NULL CONSTRAINT world_invitations_token_hash_key UNIQUE
               CONSTRAINT world_invitations_token_hash_sha256 CHECK (octet_length(token_hash) = 32),
  created_by uuid REFERENCES app.users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL DEFAULT now() + interval '7 days',
  max_uses   integer NOT NULL DEFAULT 1 CONSTRAINT world_invitations_max_uses_range CHECK (max_uses BETWEEN 1 AND 1000),
  uses       integer NOT NULL DEFAULT 0 CONSTRAINT world_invitations_uses_range CHECK (uses BETWEEN 0 AND max_uses),
  revoked_at timestamptz,
  -- When set, only the registered player with this email may accept.
  email      text CONSTRAINT world_invitations_email_shape CHECK (
               email ~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$'
               AND char_length(email) <= 254 AND email = lower(email)),
  CONSTRAINT world_invitations_expiry_after_creation CHECK (expires_at > created_at)
);
COMMENT ON TABLE app.world_invitations IS 'Invitations to a world: hashed tokens with an expiry, a use limit, revocation and an optional email binding.';
CREATE INDEX world_invitations_world_id_idx ON app.world_invitations (world_id, created_at DESC);
CREATE INDEX world_invitations_created_by_idx ON app.world_invitations (created_by);

CREATE TABLE app.world_bans (
  world_id   uuid NOT NULL REFERENCES app.worlds (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  reason     text NOT NULL DEFAULT '' CONSTRAINT world_bans_reason_shape
               CHECK (char_length(reason) <= 500 AND reason !~ '[\x01-\x08\x0b-\x1f\x7f]'),
  banned_by  uuid REFERENCES app.users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- NULL: for good. A ban whose until has passed no longer counts.
  until      timestamptz,
  PRIMARY KEY (world_id, user_id),
  CONSTRAINT world_bans_until_after_creation CHECK (until IS NULL OR until > created_at)
);
COMMENT ON TABLE app.world_bans IS 'Players kept out of a world, for good or until a time. A ban also ends a membership.';
CREATE INDEX world_bans_user_id_idx ON app.world_bans (user_id) INCLUDE (world_id, until);
CREATE INDEX world_bans_banned_by_idx ON app.world_bans (banned_by);

CREATE TABLE app.world_visitors (
  world_id       uuid NOT NULL REFERENCES app.worlds (id) ON DELETE CASCADE,
  user_id        uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  first_visit_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (world_id, user_id)
);
COMMENT ON TABLE app.world_visitors IS
  'Signed-in players who asked for an unlisted world by its slug (get_world or a join): they may read its content. Not a membership.';
CREATE INDEX world_visitors_user_id_idx ON app.world_visitors (user_id) INCLUDE (world_id);

CREATE TABLE app.world_settings (
  singleton          boolean PRIMARY KEY DEFAULT true CONSTRAINT world_settings_single_row CHECK (singleton),
  -- The world a join or enter_room without a world_slug goes to, and where evicted players are put. A
  -- foreign key: renaming the default world carries the setting along (a player's new world cannot then
  -- take the freed slug and become everyone's default), and the default world cannot be deleted.
  default_world_slug app.slug NOT NULL DEFAULT 'ark'
    CONSTRAINT world_settings_default_world_fkey REFERENCES app.worlds (slug) ON UPDATE CASCADE,
  max_worlds_per_owner integer NOT NULL DEFAULT 10
    CONSTRAINT world_settings_max_worlds_range CHECK (max_worlds_per_owner BETWEEN 0 AND 10000)
);
COMMENT ON TABLE app.world_settings IS 'Per-installation world settings (one row): the default world, and how many worlds a player may own.';

ALTER TABLE app.worlds ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.worlds FORCE ROW LEVEL SECURITY;
ALTER TABLE app.world_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.world_members FORCE ROW LEVEL SECURITY;
ALTER TABLE app.world_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.world_invitations FORCE ROW LEVEL SECURITY;
ALTER TABLE app.world_bans ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.world_bans FORCE ROW LEVEL SECURITY;
ALTER TABLE app.world_visitors ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.world_visitors FORCE ROW LEVEL SECURITY;
ALTER TABLE app.world_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.world_settings FORCE ROW LEVEL SECURITY;
REVOKE ALL ON app.worlds, app.world_members, app.world_invitations, app.world_bans, app.world_visitors,
              app.world_settings FROM PUBLIC;

-- The installation's world: today's town and agent rooms; the default world.
INSERT INTO app.worlds (slug, name, description, visibility)
VALUES ('ark', 'ArkAgentic', 'The town and its agents.', 'public');
INSERT INTO app.world_settings DEFAULT VALUES;

COMMIT;
