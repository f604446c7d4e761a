-- Verify arkagentic:seed_worlds on pg

BEGIN;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id
                  WHERE w.slug = 'ark' AND r.slug = 'town' AND r.is_main) THEN
    RAISE EXCEPTION 'the ark world has no main room town';
  END IF;
END
$$;

ROLLBACK;
