-- Verify arkagentic:presence_enter_after_publish on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc
                  WHERE oid = 'app.presence_enter(uuid, text, text, text)'::regprocedure AND prosrc LIKE '%FOR KEY SHARE%') THEN
    RAISE EXCEPTION 'app.presence_enter must wait for a publish of the room''s map';
  END IF;
END
$$;

ROLLBACK;
