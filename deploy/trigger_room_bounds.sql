-- Deploy arkagentic:trigger_room_bounds to pg
-- requires: table_buildings table_spawn_points table_player_presence
-- A CHECK cannot look at another table, so triggers keep every position inside its room:
-- on insert or move of a thing, and when a room shrinks under things already in it.

BEGIN;

CREATE FUNCTION app.assert_inside_room(room uuid, x integer, y integer, what text) RETURNS void
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  w integer;
  h integer;
BEGIN
  SELECT width_tiles, height_tiles INTO w, h FROM app.rooms WHERE id = room;
  IF NOT FOUND THEN
    RETURN;  -- the foreign key reports a missing room
  END IF;
  IF x NOT BETWEEN 0 AND w - 1 OR y NOT BETWEEN 0 AND h - 1 THEN
    RAISE EXCEPTION '% (%, %) lies outside its room', what, x, y
      USING ERRCODE = 'check_violation',
            DETAIL = format('The room is %s x %s tiles.', w, h),
            HINT = format('Use 0 <= x < %s and 0 <= y < %s.', w, h);
  END IF;
END
$$;
COMMENT ON FUNCTION app.assert_inside_room(uuid, integer, integer, text) IS 'Raises check_violation when a tile lies outside the room.';

CREATE FUNCTION app.buildings_inside_room() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM app.assert_inside_room(NEW.room_id, NEW.x, NEW.y, 'building corner');
  PERFORM app.assert_inside_room(NEW.room_id, NEW.x + NEW.width - 1, NEW.y + NEW.height - 1, 'building corner');
  PERFORM app.assert_inside_room(NEW.room_id, NEW.door_x, NEW.door_y, 'door');
  RETURN NEW;
END
$$;
CREATE TRIGGER buildings_inside_room BEFORE INSERT OR UPDATE ON app.buildings
  FOR EACH ROW EXECUTE FUNCTION app.buildings_inside_room();

CREATE FUNCTION app.point_inside_room() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM app.assert_inside_room(NEW.room_id, NEW.x, NEW.y, TG_TABLE_NAME || ' position');
  RETURN NEW;
END
$$;
CREATE TRIGGER spawn_points_inside_room BEFORE INSERT OR UPDATE OF room_id, x, y ON app.spawn_points
  FOR EACH ROW EXECUTE FUNCTION app.point_inside_room();
CREATE TRIGGER player_presence_inside_room BEFORE INSERT OR UPDATE OF room_id, x, y ON app.player_presence
  FOR EACH ROW EXECUTE FUNCTION app.point_inside_room();

CREATE FUNCTION app.rooms_keep_contents_inside() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF EXISTS (SELECT FROM app.buildings b WHERE b.room_id = NEW.id
              AND (b.x + b.width > NEW.width_tiles OR b.y + b.height > NEW.height_tiles
                   OR b.door_x >= NEW.width_tiles OR b.door_y >= NEW.height_tiles))
     OR EXISTS (SELECT FROM app.spawn_points s WHERE s.room_id = NEW.id
              AND (s.x >= NEW.width_tiles OR s.y >= NEW.height_tiles))
     OR EXISTS (SELECT FROM app.player_presence p WHERE p.room_id = NEW.id
              AND (p.x >= NEW.width_tiles OR p.y >= NEW.height_tiles)) THEN
    RAISE EXCEPTION 'room % cannot shrink to % x %: something would lie outside it', NEW.slug, NEW.width_tiles, NEW.height_tiles
      USING ERRCODE = 'check_violation', HINT = 'Move or delete the buildings, spawn points or players first.';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER rooms_keep_contents_inside AFTER UPDATE OF width_tiles, height_tiles ON app.rooms
  FOR EACH ROW WHEN (NEW.width_tiles < OLD.width_tiles OR NEW.height_tiles < OLD.height_tiles)
  EXECUTE FUNCTION app.rooms_keep_contents_inside();

-- Triggers run as the writer: content_admin writes buildings and spawn points; the bridge
-- writes presence in a later change and is granted there.
GRANT EXECUTE ON FUNCTION app.assert_inside_room(uuid, integer, integer, text) TO content_admin;

COMMIT;
