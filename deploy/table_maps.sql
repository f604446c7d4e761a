-- Deploy arkagentic:table_maps to pg
-- requires: table_rooms_world table_buildings table_spawn_points table_worlds table_users
-- Custom maps (issue 12): the tileset registry, immutable map versions with their collision grid, the room's
-- current version, and the derived flag on the buildings and spawn points a map makes.

BEGIN;

-- The tileset images this installation serves. A map's embedded tileset must match one of these by image,
-- tile size and columns, so that a map can never make clients fetch an arbitrary URL.
CREATE TABLE app.tilesets (
  name         app.slug PRIMARY KEY,
  image        text NOT NULL CONSTRAINT tilesets_image_key UNIQUE
    -- A relative path under the client's assets: no scheme, no absolute path, no parent directory.
    CONSTRAINT tilesets_image_relative CHECK (image ~ '^[A-Za-z0-9_-][A-Za-z0-9_./-]{0,199}$' AND image !~ '(^|/)\.\.(/|$)'),
  tile_width   integer NOT NULL CONSTRAINT tilesets_tile_width_range CHECK (tile_width BETWEEN 8 AND 256),
  tile_height  integer NOT NULL CONSTRAINT tilesets_tile_height_range CHECK (tile_height BETWEEN 8 AND 256),
  columns      integer NOT NULL CONSTRAINT tilesets_columns_positive CHECK (columns BETWEEN 1 AND 4096),
  tilecount    integer NOT NULL CONSTRAINT tilesets_tilecount_positive CHECK (tilecount BETWEEN 1 AND 1048576),
  image_width  integer NOT NULL,
  image_height integer NOT NULL,
  CONSTRAINT tilesets_image_holds_tiles CHECK (
    image_width >= columns * tile_width AND image_height >= ceil(tilecount::numeric / columns) * tile_height)
);
COMMENT ON TABLE app.tilesets IS 'Tileset images the installation serves; a map''s tilesets must match one (image, tile size, columns).';
ALTER TABLE app.tilesets ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tilesets FORCE ROW LEVEL SECURITY;
GRANT SELECT ON app.tilesets TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON app.tilesets TO content_admin;

-- Every published map, immutable. collision holds one bit per tile (index y * width + x, 1 = wall), so a
-- move reads one row to learn the walls it crosses.
CREATE TABLE app.map_versions (
  room_id        uuid NOT NULL,
  world_id       uuid NOT NULL,
  version        integer NOT NULL CONSTRAINT map_versions_version_positive CHECK (version >= 1),
  name           text NOT NULL CONSTRAINT map_versions_name_length CHECK (char_length(name) BETWEEN 1 AND 64),
  map            jsonb NOT NULL,
  summary        jsonb NOT NULL,
  width          integer NOT NULL CONSTRAINT map_versions_width_range CHECK (width BETWEEN 1 AND 1000),
  height         integer NOT NULL CONSTRAINT map_versions_height_range CHECK (height BETWEEN 1 AND 1000),
  collision      bit varying NOT NULL,
  published_by   uuid REFERENCES app.users (id) ON DELETE SET NULL,
  publisher_role text NOT NULL CONSTRAINT map_versions_publisher_role_known CHECK (publisher_role IN ('player', 'content_admin', 'dba')),
  published_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
  restored_from  integer,
  CONSTRAINT map_versions_pkey PRIMARY KEY (room_id, version),
  CONSTRAINT map_versions_room_fkey FOREIGN KEY (room_id, world_id) REFERENCES app.rooms (id, world_id) ON DELETE CASCADE,
  CONSTRAINT map_versions_collision_size CHECK (pg_catalog.length(collision) = width * height),
  CONSTRAINT map_versions_area CHECK (width * height <= 250000),
  CONSTRAINT map_versions_restored_earlier CHECK (restored_from < version)
);
COMMENT ON TABLE app.map_versions IS 'Published maps, one row per version, never changed: publish and restore append.';
COMMENT ON COLUMN app.map_versions.collision IS 'One bit per tile, index y * width + x; 1 is a wall.';
COMMENT ON COLUMN app.map_versions.published_by IS 'The player who published (or restored) it; NULL for content_admin and DBAs (publisher_role).';
COMMENT ON COLUMN app.map_versions.restored_from IS 'The version a restore published again, else NULL.';
CREATE INDEX map_versions_world_id_idx ON app.map_versions (world_id);
CREATE INDEX map_versions_published_by_idx ON app.map_versions (published_by);
ALTER TABLE app.map_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.map_versions FORCE ROW LEVEL SECURITY;
GRANT SELECT ON app.map_versions TO web_anon, player, agent_service, content_admin;

-- Versions are history: no update ever, and no delete but their room's.
CREATE FUNCTION app.map_versions_immutable() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT FROM app.rooms r WHERE r.id = OLD.room_id) THEN
    RETURN OLD;  -- the room's deletion cascades
  END IF;
  RAISE EXCEPTION 'map versions are immutable'
    USING ERRCODE = 'integrity_constraint_violation',
          HINT = 'Publish a new version (api.publish_map) or restore an old one (api.restore_map).';
END
$$;
REVOKE ALL ON FUNCTION app.map_versions_immutable() FROM PUBLIC;
CREATE TRIGGER map_versions_immutable BEFORE UPDATE OR DELETE ON app.map_versions
  FOR EACH ROW EXECUTE FUNCTION app.map_versions_immutable();

ALTER TABLE app.rooms ADD COLUMN map_version integer,
  ADD CONSTRAINT rooms_map_version_fkey FOREIGN KEY (id, map_version) REFERENCES app.map_versions (room_id, version)
    DEFERRABLE INITIALLY IMMEDIATE;
COMMENT ON COLUMN app.rooms.map_version IS 'The current map (app.map_versions), NULL for a room without one: no walls.';

-- A room with a map is the size of its map: the walls are known for every tile, and only for those. A PATCH
-- that resized such a room would open tiles no map describes.
CREATE FUNCTION app.rooms_map_size() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- the writer (an editor over PATCH /rooms) need not read the map's row
  SET search_path = ''
  AS $$
BEGIN
  IF NEW.map_version IS NOT NULL AND EXISTS (
       SELECT FROM app.map_versions m
        WHERE m.room_id = NEW.id AND m.version = NEW.map_version
          AND (m.width, m.height) IS DISTINCT FROM (NEW.width_tiles, NEW.height_tiles)) THEN
    RAISE EXCEPTION 'a room with a map has the size of its map'
      USING ERRCODE = 'check_violation', HINT = 'Publish a map of the new size (POST /rpc/publish_map).';
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION app.rooms_map_size() FROM PUBLIC;
CREATE TRIGGER rooms_map_size BEFORE UPDATE OF width_tiles, height_tiles, map_version ON app.rooms
  FOR EACH ROW EXECUTE FUNCTION app.rooms_map_size();

-- app.meeting_zone_holds takes a buildings row in a SQL-standard body, which pins the row type: it is
-- dropped for the new column and made again as function_app_meetings wrote it (its callers are PL/pgSQL,
-- which look it up when they run).
DROP FUNCTION app.meeting_zone_holds(app.buildings, uuid, integer, integer, text);
ALTER TABLE app.buildings ADD COLUMN derived boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN app.buildings.derived IS 'Made from the room''s map: replaced on each publish. Hand-made rows (false) stay.';
CREATE FUNCTION app.meeting_zone_holds(b app.buildings, room_id uuid, x integer, y integer, status text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN b.type = 'meeting' AND b.room_id = meeting_zone_holds.room_id AND meeting_zone_holds.status <> 'offline'
     AND meeting_zone_holds.x >= b.x AND meeting_zone_holds.x < b.x + b.width
     AND meeting_zone_holds.y >= b.y AND meeting_zone_holds.y < b.y + b.height;
COMMENT ON FUNCTION app.meeting_zone_holds(app.buildings, uuid, integer, integer, text) IS
  'Whether a player at (room_id, x, y) with this status stands in meeting building b''s zone: the zone rule.';
REVOKE ALL ON FUNCTION app.meeting_zone_holds(app.buildings, uuid, integer, integer, text) FROM PUBLIC;
ALTER TABLE app.spawn_points ADD COLUMN derived boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN app.spawn_points.derived IS 'Made from the room''s map: replaced on each publish. Hand-made rows (false) stay.';

COMMIT;
