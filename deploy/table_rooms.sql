-- Deploy arkagentic:table_rooms to pg
-- requires: domains_app
-- Maps a player can be in: the town and the agents' rooms.

BEGIN;

CREATE TABLE app.rooms (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug             app.slug NOT NULL CONSTRAINT rooms_slug_key UNIQUE,
  name             text NOT NULL CONSTRAINT rooms_name_length CHECK (char_length(name) BETWEEN 1 AND 64),
  tilemap_key      text NOT NULL CONSTRAINT rooms_tilemap_key_shape CHECK (tilemap_key ~ '^[A-Za-z0-9_./-]{1,128}$'),
  width_tiles      integer NOT NULL CONSTRAINT rooms_width_range CHECK (width_tiles BETWEEN 1 AND 1000),
  height_tiles     integer NOT NULL CONSTRAINT rooms_height_range CHECK (height_tiles BETWEEN 1 AND 1000),
  default_spawn_x  integer NOT NULL,
  default_spawn_y  integer NOT NULL,
  is_main          boolean NOT NULL DEFAULT false,
  -- Movement and chat rules live with the room so both the REST and the WebSocket paths read them.
  max_speed        numeric NOT NULL DEFAULT 10 CONSTRAINT rooms_max_speed_positive CHECK (max_speed > 0 AND max_speed <= 100),
  proximity_radius integer NOT NULL DEFAULT 5 CONSTRAINT rooms_proximity_radius_range CHECK (proximity_radius BETWEEN 0 AND 100),
  CONSTRAINT rooms_default_spawn_inside CHECK (
    default_spawn_x BETWEEN 0 AND width_tiles - 1 AND default_spawn_y BETWEEN 0 AND height_tiles - 1)
);
COMMENT ON TABLE app.rooms IS 'Tile maps players walk in. Exactly the rows here exist in the game; add a row to add a room.';
COMMENT ON COLUMN app.rooms.max_speed IS 'Fastest allowed movement, in tiles per second.';
COMMENT ON COLUMN app.rooms.proximity_radius IS 'How far, in tiles, proximity chat carries.';

-- At most one main room: the partial unique index admits a single true.
CREATE UNIQUE INDEX rooms_one_main ON app.rooms (is_main) WHERE is_main;

ALTER TABLE app.rooms ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.rooms FORCE ROW LEVEL SECURITY;

GRANT SELECT ON app.rooms TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON app.rooms TO content_admin;

COMMIT;
