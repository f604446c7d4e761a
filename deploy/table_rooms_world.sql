-- Deploy arkagentic:table_rooms_world to pg
-- requires: table_worlds table_rooms table_buildings table_spawn_points trigger_room_bounds function_app_raise
-- Every room belongs to a world (issue 11); today's rooms to ark. A room slug is unique within its
-- world, and each world has at most one main room. Buildings and spawn points carry their room's world
-- (filled in by a trigger, kept equal by composite foreign keys), so that row-level security reads a
-- column and an index rather than joining to the room; a portal leads to a room of the same world.

BEGIN;

ALTER TABLE app.rooms ADD COLUMN world_id uuid;
UPDATE app.rooms SET world_id = (SELECT id FROM app.worlds WHERE slug = 'ark');
ALTER TABLE app.rooms
  ALTER COLUMN world_id SET NOT NULL,
  ADD CONSTRAINT rooms_world_id_fkey FOREIGN KEY (world_id) REFERENCES app.worlds (id) ON DELETE CASCADE,
  DROP CONSTRAINT rooms_slug_key,
  ADD CONSTRAINT rooms_world_slug_key UNIQUE (world_id, slug),
  ADD CONSTRAINT rooms_id_world_key UNIQUE (id, world_id),
  ALTER COLUMN tilemap_key DROP NOT NULL;
DROP INDEX app.rooms_one_main;
-- One main room per world: a unique constraint on a column that holds a main room's world and NULL for
-- every other room (NULLs never collide). Not a partial unique index, because a constraint can be
-- deferrable: checked at the end of each statement, one UPDATE may move the main room from one room to
-- another whatever order it visits the rows in. A conflict is a unique violation (23505, HTTP 409).
ALTER TABLE app.rooms
  ADD COLUMN main_of_world uuid GENERATED ALWAYS AS (CASE WHEN is_main THEN world_id END) STORED,
  ADD CONSTRAINT rooms_one_main_per_world UNIQUE (main_of_world) DEFERRABLE INITIALLY IMMEDIATE;
COMMENT ON COLUMN app.rooms.main_of_world IS 'world_id for its world''s main room, NULL for the others: what rooms_one_main_per_world keeps unique.';
COMMENT ON COLUMN app.rooms.world_id IS 'The world the room belongs to; a room without one goes to the default world (app.world_settings).';
COMMENT ON COLUMN app.rooms.is_main IS 'The main room of its world, where players start; at most one per world.';

-- A room keeps its world: its buildings, spawn points, portals and presences are the world's.
CREATE FUNCTION app.rooms_world() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- reads the settings, which no API role may read
  SET search_path = ''
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.world_id IS NULL THEN
      NEW.world_id := (SELECT w.id FROM app.worlds w JOIN app.world_settings s ON w.slug = s.default_world_slug);
    END IF;
  ELSIF NEW.world_id IS DISTINCT FROM OLD.world_id THEN
    RAISE EXCEPTION 'a room cannot move to another world'
      USING ERRCODE = 'check_violation', HINT = 'Create a room in the other world instead.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION app.rooms_world() IS 'Gives a new room without a world the default world, and keeps a room in its world.';
REVOKE EXECUTE ON FUNCTION app.rooms_world() FROM PUBLIC;
CREATE TRIGGER rooms_world BEFORE INSERT OR UPDATE OF world_id ON app.rooms
  FOR EACH ROW EXECUTE FUNCTION app.rooms_world();

-- A player's world keeps one main room, where its players start: deleting it or clearing is_main without
-- naming another (in the same statement: checked at its end) answers 409. The installation's worlds are
-- content_admin's and a DBA's to arrange, and a world being deleted takes its rooms along.
CREATE FUNCTION app.rooms_keep_main() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- sees every room of the world, whoever changes one
  SET search_path = ''
  AS $$
DECLARE
  world app.worlds;
BEGIN
  SELECT * INTO world FROM app.worlds w WHERE w.id = OLD.world_id;
  IF NOT FOUND OR world.owner_id IS NULL OR EXISTS (SELECT FROM app.rooms r WHERE r.world_id = OLD.world_id AND r.is_main) THEN
    RETURN NULL;
  END IF;
  PERFORM app.raise_api_error(409, 'PT409', 'a world keeps its main room',
                              'Make another room the main room in the same request, or archive the world.',
                              pg_catalog.jsonb_build_object('world', world.slug, 'room', OLD.slug));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION app.rooms_keep_main() IS 'Refuses (409) a statement that leaves a player''s world without a main room.';
REVOKE EXECUTE ON FUNCTION app.rooms_keep_main() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER rooms_keep_main AFTER UPDATE OF is_main OR DELETE ON app.rooms
  DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW
  WHEN (OLD.is_main)
  EXECUTE FUNCTION app.rooms_keep_main();

-- Buildings and spawn points take their room's world, whatever the caller may read.
CREATE FUNCTION app.room_contents_world() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- the room may be one the caller cannot read; row-level security then refuses the row
  SET search_path = ''
  AS $$
BEGIN
  NEW.world_id := (SELECT r.world_id FROM app.rooms r WHERE r.id = NEW.room_id);
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION app.room_contents_world() IS 'Sets world_id of a building or spawn point to its room''s.';
REVOKE EXECUTE ON FUNCTION app.room_contents_world() FROM PUBLIC;

ALTER TABLE app.buildings ADD COLUMN world_id uuid;
UPDATE app.buildings b SET world_id = r.world_id FROM app.rooms r WHERE r.id = b.room_id;
ALTER TABLE app.buildings
  ALTER COLUMN world_id SET NOT NULL,
  ADD CONSTRAINT buildings_room_world_fkey FOREIGN KEY (room_id, world_id)
    REFERENCES app.rooms (id, world_id) ON DELETE CASCADE,
  ADD CONSTRAINT buildings_target_room_world_fkey FOREIGN KEY (target_room_id, world_id)
    REFERENCES app.rooms (id, world_id) ON DELETE RESTRICT;
CREATE INDEX buildings_world_id_idx ON app.buildings (world_id);
CREATE INDEX buildings_target_room_world_idx ON app.buildings (target_room_id, world_id);
CREATE TRIGGER buildings_world BEFORE INSERT OR UPDATE OF room_id, world_id ON app.buildings
  FOR EACH ROW EXECUTE FUNCTION app.room_contents_world();

ALTER TABLE app.spawn_points ADD COLUMN world_id uuid;
UPDATE app.spawn_points p SET world_id = r.world_id FROM app.rooms r WHERE r.id = p.room_id;
ALTER TABLE app.spawn_points
  ALTER COLUMN world_id SET NOT NULL,
  ADD CONSTRAINT spawn_points_room_world_fkey FOREIGN KEY (room_id, world_id)
    REFERENCES app.rooms (id, world_id) ON DELETE CASCADE;
CREATE INDEX spawn_points_world_id_idx ON app.spawn_points (world_id);
CREATE TRIGGER spawn_points_world BEFORE INSERT OR UPDATE OF room_id, world_id ON app.spawn_points
  FOR EACH ROW EXECUTE FUNCTION app.room_contents_world();

COMMIT;
