-- Deploy arkagentic:table_users to pg
-- requires: domains_app table_avatar_sprites
-- One row per person, anonymous or registered. Password hashes live apart, in auth.credentials.

BEGIN;

CREATE TABLE app.users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  display_name  app.display_name NOT NULL,
  avatar_sprite text NOT NULL REFERENCES app.avatar_sprites (key) ON UPDATE CASCADE,
  email         text CONSTRAINT users_email_shape CHECK (
                  email ~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$'
                  AND char_length(email) <= 254
                  AND email = lower(email)),
  is_anonymous  boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  -- An account is registered exactly when it has an email.
  CONSTRAINT users_anonymous_without_email CHECK (is_anonymous = (email IS NULL))
);
COMMENT ON TABLE app.users IS 'Everyone who has played: anonymous until they register an email and password.';

CREATE UNIQUE INDEX users_email_key ON app.users (email) WHERE email IS NOT NULL;
CREATE INDEX users_avatar_sprite_idx ON app.users (avatar_sprite);

ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.users FORCE ROW LEVEL SECURITY;

-- A player reads and renames only their own row (the policy says which row); public profiles
-- come through api.users, which exposes four columns.
GRANT SELECT ON app.users TO player;
GRANT UPDATE (display_name, avatar_sprite) ON app.users TO player;

COMMIT;
