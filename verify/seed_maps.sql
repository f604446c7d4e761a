-- Verify arkagentic:seed_maps on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  IF EXISTS (SELECT FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id AND w.slug = 'ark'
              WHERE r.slug IN ('town', 'room-scout', 'room-sage', 'room-chronicler', 'room-trends', 'room-maven')
                AND r.map_version IS NULL) THEN
    RAISE EXCEPTION 'every seed room must have its map';
  END IF;
  IF EXISTS (SELECT FROM app.buildings b JOIN app.rooms r ON r.id = b.room_id
               JOIN app.map_versions m ON m.room_id = r.id AND m.version = r.map_version
              WHERE pg_catalog.get_bit(m.collision, b.door_y * m.width + b.door_x) = 1) THEN
    RAISE EXCEPTION 'a door of the seed is on a wall';
  END IF;
END
$$;

ROLLBACK;
