-- Verify arkagentic:function_app_map_check on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
DECLARE
  result record;
BEGIN
  result := app.map_check('{"type": "map"}', NULL, NULL);
  IF NOT result.errors @> '[{"path": "/orientation"}, {"path": "/width"}]' THEN
    RAISE EXCEPTION 'app.map_check must report every problem with its path, got %', result.errors;
  END IF;
END
$$;

ROLLBACK;
