-- Verify arkagentic:policy_rooms_world on pg

BEGIN;

DO $$
BEGIN
  IF (SELECT count(*) FROM pg_policies WHERE schemaname = 'app' AND tablename = 'rooms'
        AND (policyname LIKE 'rooms\_world\_%' OR policyname LIKE 'rooms\_admin\_%')) <> 8 THEN
    RAISE EXCEPTION 'the world policies of app.rooms are missing';
  END IF;
  IF EXISTS (SELECT FROM pg_policies WHERE schemaname = 'app' AND tablename = 'rooms' AND policyname = 'rooms_read') THEN
    RAISE EXCEPTION 'app.rooms still has its world-blind read policy';
  END IF;
END
$$;

ROLLBACK;
