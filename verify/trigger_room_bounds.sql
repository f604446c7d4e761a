-- Verify arkagentic:trigger_room_bounds on pg

BEGIN;

INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
VALUES ('verify-bounds', 'Verify', 'verify', 4, 4, 0, 0);
DO $$
BEGIN
  BEGIN
    INSERT INTO app.spawn_points (room_id, slug, x, y, type)
    SELECT id, 'outside', 4, 0, 'player' FROM app.rooms WHERE slug = 'verify-bounds';
    RAISE EXCEPTION 'a spawn point outside its room was accepted';
  EXCEPTION WHEN check_violation THEN NULL;
  END;
END
$$;

ROLLBACK;
