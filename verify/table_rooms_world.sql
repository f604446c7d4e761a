-- Verify arkagentic:table_rooms_world on pg

BEGIN;

SELECT world_id FROM app.rooms WHERE false;
SELECT world_id FROM app.buildings WHERE false;
SELECT world_id FROM app.spawn_points WHERE false;
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'app.rooms'::regclass AND attname = 'world_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'app.rooms.world_id may be NULL';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'rooms_one_main_per_world' AND contype = 'u' AND condeferrable) THEN
    RAISE EXCEPTION 'the one-main-room-per-world index is missing';
  END IF;
END
$$;

ROLLBACK;
