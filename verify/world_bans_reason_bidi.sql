-- Verify arkagentic:world_bans_reason_bidi on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  IF NOT coalesce((SELECT convalidated FROM pg_catalog.pg_constraint
                    WHERE conrelid = 'app.world_bans'::regclass AND conname = 'world_bans_reason_bidi'), false) THEN
    RAISE EXCEPTION 'world_bans_reason_bidi must exist and be validated';
  END IF;
END
$$;

ROLLBACK;
