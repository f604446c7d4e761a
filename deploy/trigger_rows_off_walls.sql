-- Deploy arkagentic:trigger_rows_off_walls to pg
-- requires: function_app_move_blocked_walls table_maps trigger_room_bounds
-- Nothing is placed on a wall by hand: a spawn point, a building's door and a room's default spawn must be
-- walkable tiles of the room's current map. Without this, an editor's POST /spawn_points (or PATCH /rooms)
-- put the next player to enter onto a wall that the move rule then let them step off. publish_map refuses a
-- map that would wall in a hand-made spawn point or door (app.map_check).

BEGIN;

CREATE FUNCTION app.tile_blocked(room_id uuid, map_version integer, x integer, y integer) RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path = ''
  AS $$
  SELECT coalesce((SELECT x BETWEEN 0 AND m.width - 1 AND y BETWEEN 0 AND m.height - 1
                          AND pg_catalog.get_bit(m.collision, y * m.width + x) = 1
                     FROM app.map_versions m WHERE m.room_id = tile_blocked.room_id AND m.version = tile_blocked.map_version), false)
$$;
COMMENT ON FUNCTION app.tile_blocked(uuid, integer, integer, integer) IS
  'Whether (x, y) is a wall of version map_version of the room''s map (false without a map).';
REVOKE ALL ON FUNCTION app.tile_blocked(uuid, integer, integer, integer) FROM PUBLIC;

CREATE FUNCTION app.rows_off_walls() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- the writer (an editor over the API) need not read the map's row
  SET search_path = ''
  AS $$
DECLARE
  version integer;
BEGIN
  IF TG_TABLE_NAME = 'rooms' THEN
    IF app.tile_blocked(NEW.id, NEW.map_version, NEW.default_spawn_x, NEW.default_spawn_y) THEN
      RAISE EXCEPTION 'the default spawn is on a wall'
        USING ERRCODE = 'check_violation', HINT = 'GET /room_maps shows the room''s map; a tile with collides is a wall.';
    END IF;
    RETURN NEW;
  END IF;
  SELECT r.map_version INTO version FROM app.rooms r WHERE r.id = NEW.room_id;
  -- One branch per table: PL/pgSQL resolves NEW's fields in an expression whatever AND decides first.
  IF TG_TABLE_NAME = 'spawn_points' THEN
    IF app.tile_blocked(NEW.room_id, version, NEW.x, NEW.y) THEN
      RAISE EXCEPTION 'a spawn point cannot stand on a wall'
        USING ERRCODE = 'check_violation', HINT = 'GET /room_maps shows the room''s map; a tile with collides is a wall.';
    END IF;
  ELSIF app.tile_blocked(NEW.room_id, version, NEW.door_x, NEW.door_y) THEN
    RAISE EXCEPTION 'a door cannot be on a wall'
      USING ERRCODE = 'check_violation', HINT = 'GET /room_maps shows the room''s map; a tile with collides is a wall.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION app.rows_off_walls() IS
  'Refuses a spawn point, a door or a default spawn on a wall of the room''s current map.';
REVOKE ALL ON FUNCTION app.rows_off_walls() FROM PUBLIC;

CREATE TRIGGER spawn_points_off_walls BEFORE INSERT OR UPDATE OF room_id, x, y ON app.spawn_points
  FOR EACH ROW EXECUTE FUNCTION app.rows_off_walls();
CREATE TRIGGER buildings_off_walls BEFORE INSERT OR UPDATE OF room_id, door_x, door_y ON app.buildings
  FOR EACH ROW EXECUTE FUNCTION app.rows_off_walls();
CREATE TRIGGER rooms_off_walls BEFORE UPDATE OF default_spawn_x, default_spawn_y, map_version ON app.rooms
  FOR EACH ROW EXECUTE FUNCTION app.rows_off_walls();

COMMIT;
