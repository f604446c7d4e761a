-- Deploy arkagentic:table_avatar_sprites to pg
-- requires: schema_app
-- The sprites a player may choose. They live here, not in the client, so a DBA can add one with a row.

BEGIN;

CREATE TABLE app.avatar_sprites (
  key        text PRIMARY KEY CONSTRAINT avatar_sprite_key_shape CHECK (key ~ '^[a-z0-9_-]{1,32}$'),
  name       text NOT NULL CONSTRAINT avatar_sprite_name_length CHECK (char_length(name) BETWEEN 1 AND 64),
  sort_order integer NOT NULL DEFAULT 0
);
COMMENT ON TABLE app.avatar_sprites IS 'Player avatar sprites that the client knows how to draw.';

ALTER TABLE app.avatar_sprites ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.avatar_sprites FORCE ROW LEVEL SECURITY;

GRANT SELECT ON app.avatar_sprites TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON app.avatar_sprites TO content_admin;

COMMIT;
